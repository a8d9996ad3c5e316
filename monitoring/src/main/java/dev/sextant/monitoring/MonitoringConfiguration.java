package dev.sextant.monitoring;

import dev.sextant.registry.client.RegistryClient;
import dev.sextant.registry.client.RegistryConnection;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.client.RestClient;

/**
 * The topics monitoring reads and writes, how consumption retries a batch that failed for a reason outside it, and
 * the registry's client.
 */
@Configuration(proxyBeanMethods = false)
class MonitoringConfiguration {

    /**
     * The registry, called as the actor {@code monitoring} (the rollout controller's actions are recorded as it): 2 s
     * to connect, 10 s to answer.
     */
    @Bean
    RegistryClient registryClient(RestClient.Builder builder, MonitoringProperties properties) {
        return RegistryClient.create(
                builder,
                new RegistryConnection(
                        properties.registryUrl(), Duration.ofSeconds(2), Duration.ofSeconds(10), "monitoring"));
    }

    /** Created when missing, as the prediction service creates it (3 partitions), so consumption can start first. */
    @Bean
    NewTopic logsTopic(MonitoringProperties properties) {
        return TopicBuilder.name(properties.logsTopic()).partitions(3).build();
    }

    @Bean
    NewTopic deadLetterTopic(MonitoringProperties properties) {
        return TopicBuilder.name(properties.deadLetterTopic()).partitions(3).build();
    }

    @Bean
    NewTopic labelsTopic(MonitoringProperties properties) {
        return TopicBuilder.name(properties.performance().labelsTopic())
                .partitions(3)
                .build();
    }

    @Bean
    NewTopic labelsDeadLetterTopic(MonitoringProperties properties) {
        return TopicBuilder.name(properties.performance().labelsDeadLetterTopic())
                .partitions(3)
                .build();
    }

    @Bean
    NewTopic alertsTopic(MonitoringProperties properties) {
        return TopicBuilder.name(properties.alertsTopic()).partitions(3).build();
    }

    @Bean
    NewTopic retrainRequestsTopic(MonitoringProperties properties) {
        return TopicBuilder.name(properties.retrain().topic()).partitions(3).build();
    }

    /** Threshold changes made through the API, the latest per key kept for ever. */
    @Bean
    NewTopic settingsTopic(MonitoringProperties properties) {
        return TopicBuilder.name(properties.settingsTopic())
                .partitions(1)
                .compact()
                .build();
    }

    // The parts of the configuration the components take: none but the configuration classes reads the record.

    @Bean
    MonitoringProperties.Topics topics(MonitoringProperties properties) {
        return properties.topics();
    }

    @Bean
    MonitoringProperties.Window windowSettings(MonitoringProperties properties) {
        return properties.window();
    }

    @Bean
    MonitoringProperties.Performance performanceSettings(MonitoringProperties properties) {
        return properties.performance();
    }

    @Bean
    MonitoringProperties.Retrain retrainSettings(MonitoringProperties properties) {
        return properties.retrain();
    }

    @Bean
    MonitoringProperties.Rollouts rolloutSettings(MonitoringProperties properties) {
        return properties.rollouts();
    }

    @Bean
    MonitoringProperties.Dashboard dashboardSettings(MonitoringProperties properties) {
        return properties.dashboard();
    }

    @Bean
    MonitoringProperties.Skew skewSettings(MonitoringProperties properties) {
        return properties.skew();
    }

    @Bean
    MonitoringProperties.Quality qualitySettings(MonitoringProperties properties) {
        return properties.quality();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** A batch that fails outside its records (the dead-letter topic unreachable) is retried, never skipped. */
    @Bean
    CommonErrorHandler kafkaErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2);
        backOff.setMaxInterval(30_000);
        return new DefaultErrorHandler(backOff);
    }
}
