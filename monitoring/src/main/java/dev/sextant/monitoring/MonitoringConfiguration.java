package dev.sextant.monitoring;

import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** The topics monitoring reads and writes, and how consumption retries a batch that failed for a reason outside it. */
@Configuration(proxyBeanMethods = false)
class MonitoringConfiguration {

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
