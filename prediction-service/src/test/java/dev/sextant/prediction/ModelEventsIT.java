package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.contracts.EventContracts;
import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.catalog.ModelCatalog;
import dev.sextant.prediction.catalog.ModelNotFoundException;
import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.OnnxModels;
import dev.sextant.testsupport.WithKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The catalog follows the registry's model events within seconds, with the scheduled reconciliation set to an
 * hour so that only an event can explain the change. Real Kafka, the registry's packaged jar publishing to it.
 */
@WithKafka
@SpringBootTest(properties = "sextant.prediction.reconcile-interval=1h")
class ModelEventsIT {

    private static RegistryProcess registry;

    @Autowired
    ModelCatalog catalog;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry properties) throws Exception {
        String kafka = KafkaBroker.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            // as in production, where the registry created it with its first event long before
            admin.createTopics(List.of(new NewTopic("model-events.v1", 3, (short) 1)))
                    .all()
                    .get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        registry = RegistryProcess.start(kafka);
        properties.add("sextant.prediction.registry.url", registry::url);
        properties.add("spring.kafka.bootstrap-servers", () -> kafka);
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        registry.close();
    }

    @Test
    void anAliasMovedInTheRegistryIsServedWithinSecondsWithoutWaitingForTheSchedule() throws Exception {
        String model = "evented-" + System.nanoTime();
        int v1 = registry.register(model, OnnxModels.logisticRegression(new float[] {1f}, 0f));
        int v2 = registry.register(model, OnnxModels.logisticRegression(new float[] {2f}, 0f));
        await().atMost(Duration.ofSeconds(30)).until(catalog::reconciled);

        registry.setAlias(model, "champion", v1);
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> assertThat(version(model))
                .isEqualTo(v1));

        registry.setAlias(model, "champion", v2);
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> assertThat(version(model))
                .isEqualTo(v2));

        // What the service read (two versions registered, the alias set twice), held to the topic's contract.
        List<ConsumerRecord<String, String>> events = KafkaBroker.shared()
                .awaitRecords(
                        "model-events.v1",
                        records -> records.stream()
                                        .filter(record -> model.equals(record.key()))
                                        .count()
                                >= 4,
                        "the model's 4 events",
                        Duration.ofSeconds(15));
        events.stream()
                .filter(record -> model.equals(record.key()))
                .forEach(record -> EventContracts.assertConforms("model-events.v1", record.value()));
    }

    private int version(String model) throws ModelNotFoundException {
        LoadedModel loaded = catalog.acquire(model, Optional.empty());
        try {
            return loaded.version();
        } finally {
            loaded.release();
        }
    }
}
