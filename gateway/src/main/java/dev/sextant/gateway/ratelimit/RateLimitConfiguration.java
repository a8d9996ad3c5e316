package dev.sextant.gateway.ratelimit;

import dev.sextant.gateway.GatewayProperties;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The rate limiter, given its settings, and the Redis client it takes tokens with. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    @Bean
    RateLimitFilter rateLimitFilter(
            GatewayProperties properties, LettuceConnectionFactory redis, MeterRegistry meters) {
        return new RateLimitFilter(properties.rateLimits(), redis, meters);
    }

    /**
     * While Redis is down, commands are refused at once instead of queueing in the client until it reconnects: the
     * rate limiter then fails open without waiting for its timeout, and no backlog builds up. Lettuce reconnects in
     * the background.
     */
    @Bean
    LettuceClientConfigurationBuilderCustomizer failFastWhileDisconnected() {
        return builder -> builder.clientOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofMillis(500))
                        .build())
                .build());
    }
}
