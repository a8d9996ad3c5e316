package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.reference.ReferenceProfiles;
import java.time.Clock;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The rollout feed, a consumer with the service's Kafka client settings (its health is {@code rolloutFeed}). */
@Configuration(proxyBeanMethods = false)
class RolloutConfiguration {

    @Bean
    RolloutFeed rolloutFeed(
            RolloutEvidence evidence,
            RegistryRollouts registry,
            ReferenceProfiles references,
            JsonMapper json,
            KafkaProperties kafka,
            MonitoringProperties properties,
            Clock clock) {
        return new RolloutFeed(
                evidence,
                registry,
                references,
                json,
                kafka.buildConsumerProperties(),
                properties.topics(),
                properties.performance(),
                properties.rollouts(),
                clock);
    }
}
