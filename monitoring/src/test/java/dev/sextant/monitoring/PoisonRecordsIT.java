package dev.sextant.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.PoisonRecords;
import dev.sextant.testsupport.PredictionLogs;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzz: random and adversarial records through monitoring's real consumers against a real broker. Each partition
 * keeps moving: every record the consumer cannot process lands on its topic's dead-letter topic with the reason,
 * and the good records that follow are processed. The model is registered with a reference of three inputs, so an
 * OIP log is read through its binding.
 */
@WithKafka
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PoisonRecordsIT {

    static final String MODEL = "poison-watch";
    static final String LOGS = "prediction-logs-poison.v1";
    static final String LABELS = "labels-poison.v1";
    static final int WINDOW = 50;
    /** A label as the contract has it, its event id to format in. */
    static final String GOOD_LABEL = "{\"event_id\": \"%s\", \"label\": 1, \"event_time\": \"2026-11-20T00:09:00Z\","
            + " \"label_time\": \"2026-11-20T00:10:00Z\", \"entities\": {\"card_id\": \"c\"}}";

    static final long SEED = 20;
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final ServiceJar REGISTRY = PredictionLogs.registryWith(MODEL);

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
        registry.add("spring.kafka.consumer.group-id", () -> "monitoring-poison");
        registry.add("sextant.monitoring.logs-topic", () -> LOGS);
        registry.add("sextant.monitoring.dead-letter-topic", () -> LOGS + ".dead-letter");
        registry.add("sextant.monitoring.performance.labels-topic", () -> LABELS);
        registry.add("sextant.monitoring.performance.labels-dead-letter-topic", () -> LABELS + ".dead-letter");
        registry.add("sextant.monitoring.registry-url", REGISTRY::url);
        registry.add("sextant.monitoring.window.duration", () -> "1h");
        registry.add("sextant.monitoring.window.count", () -> WINDOW);
        registry.add("sextant.monitoring.window.min-samples", () -> 10);
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        REGISTRY.close();
    }

    @Test
    void aPredictionLogThatCannotBeProcessedIsDeadLetteredAndThePartitionMovesOn() throws Exception {
        PredictionLogs logs = new PredictionLogs(MODEL, 3);
        String good = logs.log("template", logs.row(1));
        List<String> adversarial = new ArrayList<>();
        // a time whose epoch milliseconds overflow a long
        adversarial.add(good.replaceFirst("\"time\": \"[^\"]+\"", "\"time\": \"+300000000-01-01T00:00:00Z\"")
                .replace("template", "far-future"));
        // an Open Inference Protocol log whose input has no data
        adversarial.add("{\"schema_version\": 1, \"request_id\": \"oip-no-data\", \"time\": \"2026-11-20T00:00:00Z\","
                + " \"model\": \"" + MODEL + "\", \"version\": 1, \"traffic_role\": \"champion\", \"api\": \"infer\","
                + " \"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 3]}],"
                + " \"outputs\": [{\"name\": \"probability\", \"datatype\": \"FP32\", \"shape\": [1, 1],"
                + " \"data\": [0.5]}]}");
        adversarial.addAll(PoisonRecords.junk());
        adversarial.add(null); // a tombstone
        List<String> fuzz =
                new ArrayList<>(PoisonRecords.mutations(good.replace(MODEL, "poison-fuzz"), new Random(SEED), 300));
        // and a rollout's: a shadow's log, and a failed request's, which go to the rollout's evidence (its units too)
        String shadow = good.replace(MODEL, "poison-fuzz")
                .replace(
                        "\"traffic_role\": \"champion\"",
                        "\"traffic_role\": \"shadow\", \"rollout_id\": 7, \"assignment_unit\": \"card-1\"");
        assertThat(shadow).contains("rollout_id").contains("assignment_unit");
        fuzz.addAll(PoisonRecords.mutations(shadow, new Random(SEED + 1), 100));
        fuzz.addAll(PoisonRecords.mutations(
                shadow.replace(
                        "\"traffic_role\": \"shadow\"",
                        "\"traffic_role\": \"challenger\", \"error\": \"runtime_error\""),
                new Random(SEED + 2),
                100));

        List<Long> offsets = new ArrayList<>();
        try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
            for (String value : adversarial) {
                offsets.add(send(producer, LOGS, value));
            }
            for (String value : fuzz) {
                send(producer, LOGS, value);
            }
            // then good logs: a whole window of them, and one more that closes it
            for (int i = 0; i <= WINDOW; i++) {
                send(producer, LOGS, logs.log("after-" + i, logs.row(1)));
            }
        }

        JsonNode windows = await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(this::windows, history -> !history.isEmpty());
        assertThat(windows.get(0).get("predictions").longValue())
                .as("the good logs after %d poison records (fuzz seed %d)", adversarial.size() + fuzz.size(), SEED)
                .isEqualTo(WINDOW);
        assertDeadLettered(LOGS, offsets, "monitoring prediction-logs");
        assertThat(windows.toString()).doesNotContain("far-future");

        // the rollout feed read every one of them too (each carries a rollout header): it still counts a rollout's
        // log, and joins its label
        try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
            send(producer, LOGS, RolloutTraffic.log("poison-rollout", "rollout-after", 1, "champion", 7, "c-1", 0.4));
            producer.flush();
            send(producer, LABELS, RolloutTraffic.label("rollout-after", true));
        }
        JsonNode rollout = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> get("/api/v1/monitoring/models/poison-rollout/rollouts")
                                .at("/rollouts/0/versions/0"),
                        version -> version.at("/quality/labels").asLong() == 1);
        assertThat(rollout.get("requests").asLong()).isEqualTo(1);
    }

    @Test
    void aLabelThatCannotBeProcessedIsDeadLetteredAndThePartitionMovesOn() throws Exception {
        String good = GOOD_LABEL;
        List<String> adversarial = new ArrayList<>(List.of(
                "{\"event_id\": \"big\", \"label\": 4294967296, \"label_time\": \"2026-11-20T00:10:00Z\"}",
                "{\"event_id\": \"far\", \"label\": 0, \"label_time\": \"+300000000-01-01T00:00:00Z\"}",
                "{\"event_id\": \"far-millis\", \"label\": 0, \"label_time\": 9223372036854775807}",
                "{\"event_id\": \"word\", \"label\": \"yes\", \"label_time\": \"2026-11-20T00:10:00Z\"}",
                "{\"label\": 1, \"label_time\": \"2026-11-20T00:10:00Z\"}"));
        adversarial.addAll(PoisonRecords.junk());
        adversarial.add(null);
        List<String> fuzz = PoisonRecords.mutations(String.format(good, "fuzz"), new Random(SEED), 300);
        double acceptedBefore = counter("accepted");
        List<Long> offsets = new ArrayList<>();
        int goodLabels = 20;
        try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
            for (String value : adversarial) {
                offsets.add(send(producer, LABELS, value));
            }
            for (String value : fuzz) {
                send(producer, LABELS, value);
            }
            for (int i = 0; i < goodLabels; i++) {
                send(producer, LABELS, String.format(good, "label-after-" + i));
            }
        }
        int sent = adversarial.size() + fuzz.size() + goodLabels;
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(counter("accepted") - acceptedBefore + counter("dead_lettered"))
                        .as("labels accepted or dead-lettered (fuzz seed %d)", SEED)
                        .isEqualTo(sent));
        assertDeadLettered(LABELS, offsets, "monitoring labels");
    }

    /** Every record at these offsets of partition 0 is on the dead-letter topic with a reason. */
    private static void assertDeadLettered(String topic, List<Long> offsets, String consumer) {
        List<ConsumerRecord<String, String>> dead =
                KafkaBroker.shared().awaitRecords(topic + ".dead-letter", offsets.size(), Duration.ofSeconds(30));
        Map<String, String> reasons = PoisonRecords.reasonsBySource(dead, consumer);
        Set<String> expected =
                offsets.stream().map(offset -> topic + "-0@" + offset).collect(Collectors.toSet());
        assertThat(reasons.keySet()).containsAll(expected);
        for (String source : expected) {
            assertThat(reasons.get(source)).as(source).isNotBlank();
        }
        assertThat(dead).allSatisfy(record -> assertThat(new String(
                        record.headers().lastHeader("sextant-consumer").value(), StandardCharsets.UTF_8))
                .isEqualTo(consumer));
    }

    /**
     * Sends to partition 0, so the poison and the good records after it share one partition; its offset. A log
     * carries a rollout header, so the rollout feed reads it as well.
     */
    private static long send(KafkaProducer<String, String> producer, String topic, String value) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, 0, MODEL, value);
        if (topic.equals(LOGS)) {
            record.headers().add("sextant-rollout-id", "7".getBytes(StandardCharsets.US_ASCII));
        }
        return producer.send(record).get().offset();
    }

    private double counter(String outcome) {
        var counter =
                meters.find("sextant.monitoring.labels").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createObjectNode();
    }

    private JsonNode windows() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/monitoring/models/"
                                        + MODEL + "/versions/1/drift"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("windows") : JSON.createArrayNode();
    }
}
