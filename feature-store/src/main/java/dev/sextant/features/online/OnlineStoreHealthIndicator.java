package dev.sextant.features.online;

import dev.sextant.features.client.online.OnlineStoreConnection;
import dev.sextant.features.client.online.OnlineStoreUnavailableException;
import io.lettuce.core.RedisException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code onlineStore} in /actuator/health: a PING over the shared connection. Not part of readiness: every
 * replica shares the one Redis, so taking them out of rotation would only replace clear 503 answers by
 * connection errors.
 */
@Component("onlineStore")
class OnlineStoreHealthIndicator implements HealthIndicator {

    private final OnlineStoreConnection connection;

    OnlineStoreHealthIndicator(OnlineStoreConnection connection) {
        this.connection = connection;
    }

    @Override
    public Health health() {
        try {
            String pong = connection.get().async().ping().get(1, TimeUnit.SECONDS);
            return Health.up().withDetail("ping", pong).build();
        } catch (OnlineStoreUnavailableException | RedisException | ExecutionException | TimeoutException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        }
    }
}
