package dev.sextant.features.stream;

import dev.sextant.features.EventTimes;
import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.online.OnlineFeatureWriter;
import dev.sextant.features.offline.OfflineStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * The streaming aggregates: the {@link StreamTopology} on Spring Kafka's Kafka Streams lifecycle, a failed
 * stream thread replaced (it resumes from its last commit), Kafka Streams' own metrics in Micrometer, and a
 * {@code streams} health contributor.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "sextant.features.stream.enabled", matchIfMissing = true)
@EnableKafkaStreams
class StreamConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StreamConfiguration.class);

    /** The stream views the topology computes. */
    record StreamViews(List<FeatureView> views) {}

    @Bean
    StreamMetrics streamMetrics(MeterRegistry meters) {
        return new StreamMetrics(meters);
    }

    @Bean
    StreamViews streamViews(
            StreamsBuilder builder,
            FeatureRepository repository,
            OnlineFeatureWriter online,
            OfflineStore offline,
            StreamMetrics metrics,
            FeatureStoreProperties properties,
            EventTimes times,
            Clock clock) {
        return new StreamViews(
                StreamTopology.build(builder, repository, online, offline, metrics, properties.stream(), times, clock));
    }

    /**
     * The topics the stream views read, and their dead-letter topics, created at startup when missing (3
     * partitions, the broker's replication factor), so the topology can start before the first producer does.
     */
    @Bean
    KafkaAdmin.NewTopics streamTopics(FeatureRepository repository) {
        return new KafkaAdmin.NewTopics(StreamTopology.streamViews(repository).stream()
                .map(view -> view.stream().topic())
                .distinct()
                .flatMap(topic -> java.util.stream.Stream.of(topic, StreamTopology.deadLetterTopic(topic)))
                .map(topic -> TopicBuilder.name(topic).partitions(3).build())
                .toArray(NewTopic[]::new));
    }

    @Bean
    StreamsBuilderFactoryBeanConfigurer streamsLifecycle(FeatureRepository repository, MeterRegistry meters) {
        boolean anyStreamView = !StreamTopology.streamViews(repository).isEmpty();
        return factory -> {
            factory.setAutoStartup(anyStreamView);
            factory.setStreamsUncaughtExceptionHandler(fault -> {
                log.warn("a stream thread failed; replacing it, it resumes from its last commit", fault);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            factory.addListener(new KafkaStreamsMicrometerListener(meters));
        };
    }

    @Bean
    HealthIndicator streamsHealthIndicator(StreamsBuilderFactoryBean factory, StreamMetrics metrics) {
        return () -> {
            KafkaStreams streams = factory.getKafkaStreams();
            if (streams == null) {
                return Health.unknown().withDetail("state", "not started").build();
            }
            KafkaStreams.State state = streams.state();
            boolean running = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
            Health.Builder health = running && metrics.onlineFaults().isEmpty() ? Health.up() : Health.down();
            return health.withDetail("state", state.name())
                    .withDetail("online_faults", metrics.onlineFaults())
                    .build();
        };
    }
}
