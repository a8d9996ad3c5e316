package dev.sextant.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.registry.client.rollout.Assignment;
import dev.sextant.testsupport.PredictionLogs;
import dev.sextant.testsupport.ServiceJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rollout's traffic as the prediction service and the label feed would make it, sent to the real broker: each
 * request from one of a pool of cards, assigned to a version by the registry client's {@link Assignment} on the
 * rollout's salt, key and weights as the registry has them now, logged with its role, rollout and unit; and its
 * label. Each version's scores separate the labels by its skill: positives score {@code 0.55 + skill}, negatives
 * {@code 0.3}, with noise; a negative skill scores noise alone.
 */
final class RolloutTraffic {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Instant TIME = Instant.parse("2026-12-07T06:00:00Z");
    static final int CARDS = 5_000;

    private final ServiceJar registry;
    private final String model;
    private final Random random;
    private final Map<Integer, Double> totalMs = new java.util.HashMap<>();
    private final Map<Integer, Double> errorRates = new java.util.HashMap<>();
    private int request;

    RolloutTraffic(ServiceJar registry, String model, long seed) {
        this.registry = registry;
        this.model = model;
        this.random = new Random(seed);
    }

    /** The version answers in this many milliseconds (1.5 otherwise). */
    RolloutTraffic slow(int version, double milliseconds) {
        totalMs.put(version, milliseconds);
        return this;
    }

    /** The version fails this share of its requests (none otherwise), logged with {@code runtime_error}. */
    RolloutTraffic failing(int version, double rate) {
        errorRates.put(version, rate);
        return this;
    }

    /** Starts a rollout of the model; answers its id. */
    long start(String spec) throws Exception {
        return JSON.readTree(registry("POST", "/api/v1/models/" + model + "/rollouts", spec, 201))
                .get("id")
                .asLong();
    }

    /** The rollout as the registry has it now. */
    JsonNode rollout(long id) throws Exception {
        return JSON.readTree(registry("GET", "/api/v1/models/" + model + "/rollouts/" + id, null, 200));
    }

    /** Rounds of traffic with every label until the rollout reaches {@code state}; the rollout then. */
    JsonNode until(long id, Map<Integer, Double> skill, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode now = rollout(id);
            if (now.get("state").asString().equals(state)) {
                return now;
            }
            assertThat(now.get("state").asString()).as(now.toString()).isEqualTo("running");
            round(now, skill, 400, 400);
            Thread.sleep(300);
        }
        throw new AssertionError("rollout " + id + " did not reach " + state + " within 90 s");
    }

    /** One round: {@code requests} requests as the rollout assigns them now, the first {@code labelled} labelled. */
    void round(JsonNode rollout, Map<Integer, Double> skill, int requests, int labelled) {
        List<Assignment.Arm> arms = new ArrayList<>();
        Map<Integer, String> roles = new java.util.HashMap<>();
        for (JsonNode arm : rollout.get("arms")) {
            arms.add(new Assignment.Arm(
                    arm.get("version").asInt(), arm.get("weight").asDouble()));
            roles.put(arm.get("version").asInt(), arm.get("role").asString());
        }
        Assignment assignment = Assignment.of(rollout.get("salt").asString(), arms);
        long id = rollout.get("id").asLong();
        int revision = rollout.get("revision").asInt();
        try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < requests; i++, request++) {
                String card = "card-" + random.nextInt(CARDS);
                int version = assignment.version(card);
                boolean positive = random.nextDouble() < 0.2;
                double separation = skill.getOrDefault(version, 0.0);
                double score = separation < 0
                        ? random.nextDouble()
                        : 0.3 + (positive ? 0.25 + separation : 0) + 0.15 * random.nextGaussian();
                String requestId = model + "-" + id + "-" + request;
                if (random.nextDouble() < errorRates.getOrDefault(version, 0.0)) {
                    producer.send(record(
                            model,
                            id,
                            log(model, requestId, version, roles.get(version), id, card, Double.NaN, "runtime_error")
                                    .replace(REVISION_1, "\"rollout_revision\": " + revision)));
                    continue;
                }
                double total = totalMs.getOrDefault(version, 1.5) * (0.8 + 0.4 * random.nextDouble());
                producer.send(record(
                        model,
                        id,
                        log(model, requestId, version, roles.get(version), id, card, Math.min(1, Math.max(0, score)))
                                .replace("\"total\": 1.5", "\"total\": " + total)
                                .replace(REVISION_1, "\"rollout_revision\": " + revision)));
                if (i < labelled) {
                    labels.add(label(requestId, positive));
                }
            }
            producer.flush();
            for (String label : labels) {
                producer.send(new ProducerRecord<>("labels.v1", model, label));
            }
        }
    }

    /** Each change of the rollout, oldest first: {@code <action> by <actor>}. */
    static List<String> actions(JsonNode rollout) {
        List<String> actions = new ArrayList<>();
        for (int i = rollout.get("history").size() - 1; i >= 0; i--) {
            JsonNode change = rollout.get("history").get(i);
            actions.add(change.get("action").asString() + " by "
                    + change.get("changed_by").asString());
        }
        return actions;
    }

    String registry(String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(registry.url() + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return response.body();
    }

    /** What {@link #log} writes of the revision. */
    private static final String REVISION_1 = "\"rollout_revision\": 1";

    /** A rollout's prediction log as the prediction service sends it: keyed by model, the rollout in a header. */
    static ProducerRecord<String, String> record(String model, long rollout, String log) {
        ProducerRecord<String, String> record = new ProducerRecord<>("prediction-logs.v1", model, log);
        record.headers().add("sextant-rollout-id", String.valueOf(rollout).getBytes(StandardCharsets.US_ASCII));
        return record;
    }

    /** A prediction log of a rollout's revision 1, as the prediction service writes it. */
    static String log(String model, String id, int version, String role, long rollout, String unit, double score) {
        return log(model, id, version, role, rollout, unit, score, null);
    }

    /**
     * A prediction log of a rollout; with an {@code error}, the log of a request the version failed (no outputs).
     */
    static String log(
            String model, String id, int version, String role, long rollout, String unit, double score, String error) {
        String outcome = error == null
                ? String.format(
                        Locale.ROOT,
                        "\"features\": [{\"name\": \"request:amount\", \"values\": [10], \"defaulted\": [false]}],"
                                + " \"outputs\": [{\"name\": \"probability\", \"datatype\": \"FP32\", \"shape\": [1, 1],"
                                + " \"data\": [%s]}], \"latency_ms\": {\"total\": 1.5, \"inference\": 0.1}",
                        score)
                : "\"error\": \"" + error + "\", \"latency_ms\": {\"total\": 30}";
        return String.format(
                Locale.ROOT,
                "{\"schema_version\": 1, \"request_id\": \"%s\", \"time\": \"%s\", \"model\": \"%s\", \"version\": %d,"
                        + " \"traffic_role\": \"%s\", \"rollout_id\": %d, \"rollout_revision\": 1,"
                        + " \"assignment_unit\": \"%s\","
                        + " \"api\": \"predict\", %s}",
                id,
                TIME,
                model,
                version,
                role,
                rollout,
                unit,
                outcome);
    }

    static String label(String id, boolean positive) {
        return PredictionLogs.label(id, positive, TIME, TIME.plus(Duration.ofHours(1)));
    }
}
