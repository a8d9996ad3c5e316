package dev.sextant.registry.events;

import dev.sextant.registry.RegistryProperties;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code modelEvents} in /actuator/health: DEGRADED (HTTP 200, not part of readiness) while committed events
 * wait longer than {@code sextant.registry.events.degraded-after} for Kafka. The registry keeps accepting
 * changes meanwhile; their events are delivered when Kafka is back.
 */
@Component("modelEvents")
class ModelEventsHealthIndicator implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "model events are waiting for Kafka");

    private final OutboxRepository outbox;
    private final Duration degradedAfter;
    private final Clock clock;

    ModelEventsHealthIndicator(OutboxRepository outbox, RegistryProperties.Events settings, Clock clock) {
        this.outbox = outbox;
        this.degradedAfter = settings.degradedAfter();
        this.clock = clock;
    }

    @Override
    public Health health() {
        OutboxRepository.Backlog backlog = outbox.backlog();
        Health.Builder health = Health.up().withDetail("pending", backlog.pending());
        backlog.oldestCreatedAt().ifPresent(oldest -> {
            Duration age = Duration.between(oldest, clock.instant());
            health.withDetail("oldestPendingAgeSeconds", Math.max(0, age.toSeconds()));
            if (age.compareTo(degradedAfter) > 0) {
                health.status(DEGRADED);
            }
        });
        backlog.lastError().ifPresent(error -> health.withDetail("lastError", error));
        return health.build();
    }
}
