package dev.sextant.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.PoisonRecords;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzz: random and adversarial records through the label archiver of the real orchestrator (its jar) against a
 * real broker. The partition keeps moving: every record it cannot archive lands on the dead-letter topic with the
 * reason, every other one is archived, and the good labels that follow are in the archive.
 */
@WithKafka
class LabelArchiverPoisonIT {

    static final String TOPIC = "labels-poison.v1";
    static final long SEED = 7;
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String GOOD = "{\"event_id\": \"%s\", \"label\": 1, \"event_time\": \"2026-11-20T00:00:00Z\","
            + " \"label_time\": \"2026-11-20T00:10:00Z\", \"entities\": {\"card_id\": \"c1\"},"
            + " \"request\": {\"amount\": 12.5}}";

    @Test
    void aLabelThatCannotBeArchivedIsDeadLetteredAndArchivingGoesOn() throws Exception {
        List<String> adversarial = new ArrayList<>(List.of(
                GOOD.formatted("too-big").replace("\"label\": 1", "\"label\": 4294967296"),
                GOOD.formatted("far").replace("2026-11-20T00:10:00Z", "+300000000-01-01T00:00:00Z"),
                GOOD.formatted("far-event").replace("2026-11-20T00:00:00Z", "+300000000-01-01T00:00:00Z"),
                GOOD.formatted("millis").replace("\"2026-11-20T00:10:00Z\"", "9223372036854775807"),
                GOOD.formatted("word").replace("\"label\": 1", "\"label\": \"yes\""),
                "{\"event_id\": \"broken\"}"));
        adversarial.addAll(PoisonRecords.junk());
        adversarial.add(null);
        List<String> fuzz = PoisonRecords.mutations(GOOD.formatted("fuzz"), new Random(SEED), 300);
        int goodLabels = 20;
        try (ServiceJar orchestrator = ServiceJar.start(
                        OrchestratorJar.path(),
                        "--spring.kafka.bootstrap-servers="
                                + KafkaBroker.shared().bootstrapServers(),
                        "--sextant.training.labels.topic=" + TOPIC,
                        "--sextant.training.retrain.enabled=false");
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
            for (int i = 0; i < goodLabels; i++) {
                send(producer, GOOD.formatted("after-" + i));
            }
            int sent = adversarial.size() + fuzz.size() + goodLabels;
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(count(orchestrator, "archived") + count(orchestrator, "rejected"))
                            .as("labels archived or dead-lettered (fuzz seed %d)", SEED)
                            .isEqualTo(sent));
            assertThat(get(orchestrator, "/api/v1/training/labels")
                            .path("labels")
                            .longValue())
                    .isGreaterThanOrEqualTo(goodLabels);

            List<ConsumerRecord<String, String>> dead =
                    KafkaBroker.shared().awaitRecords(TOPIC + ".dead-letter", offsets.size(), Duration.ofSeconds(30));
            Map<String, String> reasons = PoisonRecords.reasonsBySource(dead, "training-orchestrator labels-archiver");
            Set<String> expected =
                    offsets.stream().map(offset -> TOPIC + "-0@" + offset).collect(Collectors.toSet());
            assertThat(reasons.keySet()).containsAll(expected);
            assertThat(reasons.get(TOPIC + "-0@" + offsets.get(0))).contains("label must be 0, 1, true or false");
            assertThat(reasons.get(TOPIC + "-0@" + offsets.get(1))).contains("outside the years 0001-9999");
            assertThat(dead).allSatisfy(record -> assertThat(new String(
                            record.headers().lastHeader("sextant-consumer").value(), StandardCharsets.UTF_8))
                    .isEqualTo("training-orchestrator labels-archiver"));
        }
    }

    private static long send(KafkaProducer<String, String> producer, String value) throws Exception {
        return producer.send(new ProducerRecord<>(TOPIC, 0, "key", value)).get().offset();
    }

    private static double count(ServiceJar orchestrator, String outcome) throws Exception {
        return OrchestratorJar.counted(orchestrator, "sextant.training.labels", outcome);
    }

    private static JsonNode get(ServiceJar orchestrator, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(orchestrator.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
