package dev.sextant.training;

import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** The clock, the feature definitions, the topics the orchestrator consumes, and how consumption retries. */
@Configuration(proxyBeanMethods = false)
class TrainingConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The same definitions the feature store and the prediction service read (the bundled fraud repository). */
    @Bean
    FeatureRepository featureRepository(TrainingProperties properties) {
        return FeatureRepositoryLoader.loadOrBundled(
                properties.featureRepository() == null ? "" : properties.featureRepository());
    }

    @Bean
    NewTopic labelsTopic(TrainingProperties properties) {
        return TopicBuilder.name(properties.labels().topic())
                .partitions(properties.labels().partitions())
                .build();
    }

    @Bean
    NewTopic retrainRequestsTopic(TrainingProperties properties) {
        return TopicBuilder.name(properties.retrain().topic()).partitions(3).build();
    }

    /**
     * A batch that fails for a reason outside it (the archive's disk, the job database) is retried with backoff
     * until it succeeds, never skipped: a label or a retrain request accepted by Kafka is never lost.
     */
    @Bean
    CommonErrorHandler kafkaErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2);
        backOff.setMaxInterval(30_000);
        return new DefaultErrorHandler(backOff);
    }
}
