package dev.sextant.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.PoisonRecords;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Fuzz: random and adversarial retrain requests through the real orchestrator's listener (its jar) against a real
 * broker. The partition keeps moving: every request it cannot act on lands on the dead-letter topic with the
 * reason, and the good requests that follow are all decided (started, joined, cooled down or duplicate).
 */
@WithKafka
class RetrainRequestsPoisonIT {

    static final String TOPIC = "retrain-poison.v1";
    static final long SEED = 11;
    static final String GOOD =
            "{\"model\": \"fraud-detector\", \"reason\": \"drift on amount\", \"evidence\": {\"psi\":"
                    + " 0.4}, \"time\": \"2026-11-20T00:00:00Z\", \"idempotency_key\": \"%s\"}";

    @Test
    void aRequestThatCannotBeActedOnIsDeadLetteredAndTheRequestsAfterItAreDecided() throws Exception {
        List<String> adversarial = new ArrayList<>(List.of(
                // longer than the job table's key column: the insert failed, and the batch was retried for ever
                GOOD.formatted("k".repeat(201)),
                GOOD.formatted("no-recipe").replace("fraud-detector", "a-model-without-a-recipe"),
                GOOD.formatted("bad-name").replace("fraud-detector", "Bad Name"),
                GOOD.formatted("reason").replace("\"drift on amount\"", "42"),
                "{\"reason\": \"no model\"}"));
        adversarial.addAll(PoisonRecords.junk());
        adversarial.add(null);
        List<String> fuzz = PoisonRecords.mutations(GOOD.formatted("fuzz"), new Random(SEED), 300);
        int good = 20;
        try (ServiceJar orchestrator = ServiceJar.start(
                        OrchestratorJar.path(),
                        "--spring.kafka.bootstrap-servers="
                                + KafkaBroker.shared().bootstrapServers(),
                        "--sextant.training.retrain.topic=" + TOPIC,
                        "--sextant.training.retrain.debounce=1h",
                        "--sextant.training.labels.enabled=false");
                KafkaProducer<String, String> producer = new KafkaProducer<>(
                        Map.of("bootstrap.servers", KafkaBroker.shared().bootstrapServers()),
                        new StringSerializer(),
                        new StringSerializer())) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> KafkaBroker.shared().topicsExist(TOPIC, TOPIC + ".dead-letter"));
            List<Long> offsets = new ArrayList<>();
            for (String value : adversarial) {
                offsets.add(send(producer, value));
            }
            for (String value : fuzz) {
                send(producer, value);
            }
            for (int i = 0; i < good; i++) {
                send(producer, GOOD.formatted("after-" + i));
            }
            int sent = adversarial.size() + fuzz.size() + good;
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(count(orchestrator, null))
                            .as("requests decided or dead-lettered (fuzz seed %d)", SEED)
                            .isEqualTo(sent));

            List<ConsumerRecord<String, String>> dead = KafkaBroker.shared()
                    .awaitRecords(
                            TOPIC + ".dead-letter", (int) count(orchestrator, "rejected"), Duration.ofSeconds(30));
            Map<String, String> reasons = PoisonRecords.reasonsBySource(dead, "training-orchestrator retrain-requests");
            Set<String> expected =
                    offsets.stream().map(offset -> TOPIC + "-0@" + offset).collect(Collectors.toSet());
            assertThat(reasons.keySet()).containsAll(expected);
            assertThat(reasons.get(TOPIC + "-0@" + offsets.get(0)))
                    .contains("idempotency_key must be a non-empty string of at most 200 characters");
            assertThat(reasons.get(TOPIC + "-0@" + offsets.get(1))).contains("has no recipe");
            assertThat(reasons.get(TOPIC + "-0@" + offsets.get(2))).contains("model must be");
        }
    }

    private static long send(KafkaProducer<String, String> producer, String value) throws Exception {
        return producer.send(new ProducerRecord<>(TOPIC, 0, "fraud-detector", value))
                .get()
                .offset();
    }

    /** Requests counted with this outcome, or with any when null. */
    private static double count(ServiceJar orchestrator, String outcome) throws Exception {
        return OrchestratorJar.counted(orchestrator, "sextant.training.retrain.requests", outcome);
    }
}
