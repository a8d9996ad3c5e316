package dev.sextant.training;

import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.registry.client.RegistryClient;
import dev.sextant.registry.client.RegistryConnection;
import dev.sextant.training.trainer.Trainers;
import dev.sextant.training.trainer.TribuoTrainer;
import dev.sextant.training.trainer.xgboost.XGBoostTrainer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.client.RestClient;

/** The clock, the feature definitions, the registry's client, the topics the orchestrator consumes, and how consumption retries. */
@Configuration(proxyBeanMethods = false)
class TrainingConfiguration {

    static final String DEAD_LETTER = ".dead-letter";

    static final String ACTOR = "training-orchestrator";

    /** The learners jobs can name: Tribuo's logistic regression and factorization machine, XGBoost's trees. */
    @Bean
    Trainers trainers() {
        return new Trainers(List.of(
                new TribuoTrainer(TribuoTrainer.Kind.LOGISTIC_REGRESSION),
                new TribuoTrainer(TribuoTrainer.Kind.FACTORIZATION_MACHINE),
                new XGBoostTrainer()));
    }

    /**
     * The registry, called as the actor {@value #ACTOR}: 5 s to connect, 2 minutes to answer (an upload of a large
     * model and its native form).
     */
    @Bean
    RegistryClient registryClient(RestClient.Builder builder, TrainingProperties properties) {
        return RegistryClient.create(
                builder,
                new RegistryConnection(properties.registryUrl(), Duration.ofSeconds(5), Duration.ofMinutes(2), ACTOR));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The same definitions the feature store and the prediction service read (by default the classpath's). */
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

    /** Where labels the archiver cannot read go (monitoring sends its own there too, with its consumer named). */
    @Bean
    NewTopic labelsDeadLetterTopic(TrainingProperties properties) {
        return TopicBuilder.name(properties.labels().topic() + DEAD_LETTER)
                .partitions(properties.labels().partitions())
                .build();
    }

    /**
     * Spring Kafka's dead-letter publisher: a record is sent to {@code <topic>.dead-letter} (partitioned by its key)
     * with the reason ({@code sextant-error}), where it came from ({@code sextant-source},
     * {@code topic-partition@offset}) and who gave up on it ({@code sextant-consumer}), beside Spring's own
     * {@code kafka_dlt-*} headers. The send is waited for: when Kafka cannot take it, the batch fails and is
     * retried, so a record is never both skipped and lost.
     */
    @Bean
    DeadLetterPublishingRecoverer deadLetters(KafkaTemplate<String, String> kafka, TrainingProperties properties) {
        String retrainTopic = properties.retrain().topic();
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(
                kafka, (record, e) -> new TopicPartition(record.topic() + DEAD_LETTER, -1));
        recoverer.setFailIfSendResultIsError(true);
        recoverer.setWaitForSendResultTimeout(Duration.ofSeconds(10));
        recoverer.setHeadersFunction((record, e) -> {
            Headers headers = new RecordHeaders();
            String reason = e.getCause() != null && e.getMessage() == null
                    ? e.getCause().toString()
                    : e.getMessage();
            headers.add("sextant-error", String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
            headers.add(
                    "sextant-source",
                    (record.topic() + "-" + record.partition() + "@" + record.offset())
                            .getBytes(StandardCharsets.UTF_8));
            String consumer = record.topic().equals(retrainTopic) ? "retrain-requests" : "labels-archiver";
            headers.add("sextant-consumer", ("training-orchestrator " + consumer).getBytes(StandardCharsets.UTF_8));
            return headers;
        });
        return recoverer;
    }

    @Bean
    NewTopic retrainRequestsTopic(TrainingProperties properties) {
        return TopicBuilder.name(properties.retrain().topic()).partitions(3).build();
    }

    /** Where retrain requests the orchestrator cannot act on go. */
    @Bean
    NewTopic retrainRequestsDeadLetterTopic(TrainingProperties properties) {
        return TopicBuilder.name(properties.retrain().topic() + DEAD_LETTER)
                .partitions(3)
                .build();
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
