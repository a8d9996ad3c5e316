package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.contracts.EventContracts;
import dev.sextant.prediction.catalog.ModelCatalog;
import dev.sextant.prediction.logging.PredictionLog;
import dev.sextant.registry.client.rollout.ShadowSample;
import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.OnnxModels;
import dev.sextant.testsupport.RedisServer;
import dev.sextant.testsupport.WithKafka;
import dev.sextant.testsupport.WithRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rollout's shadow, held by a real model registry, scores its share of requests beside the champion without
 * changing a single answer: the answers are those the champion gave before the rollout, and both predictions of a
 * shadowed request reach {@code prediction-logs.v1} on a real Kafka broker, with their roles and the rollout's id.
 * The shadow's share is the registry client's {@link ShadowSample} of the request's key, key by key.
 */
@WithKafka
@WithRedis
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sextant.prediction.reconcile-interval=1h", "spring.kafka.listener.auto-startup=false"})
@AutoConfigureRestTestClient
class ShadowIT {

    private static final int KEYS = 100;

    private static RegistryProcess registry;

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    @Autowired
    ModelCatalog catalog;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry properties) throws Exception {
        registry = RegistryProcess.start();
        properties.add("sextant.prediction.registry.url", registry::url);
        properties.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
        properties.add("spring.data.redis.url", () -> RedisServer.shared().url());
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        registry.close();
    }

    @Test
    void aShadowAtFullShareScoresEveryRequestAfterItsAnswerAndChangesNoAnswer() throws Exception {
        String model = "shadowed-" + System.nanoTime();
        int champion = registry.register(model, OnnxModels.logisticRegression(new float[] {1f, 2f}, 0f));
        int shadow = registry.register(model, OnnxModels.logisticRegression(new float[] {2f, 1f}, 0f));
        registry.setAlias(model, "champion", champion);
        catalog.reconcile();
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            before.put(card(i), infer(model, card(i), "before-" + i).toString());
        }

        long rollout = json.readTree(registry.startRollout(
                        model,
                        """
                        {"strategy": "shadow", "key": "card_id", "shadow": {"version": %d, "share": 1.0}}"""
                                .formatted(shadow)))
                .get("id")
                .asLong();
        catalog.reconcile();
        for (int i = 0; i < KEYS; i++) {
            JsonNode answer = infer(model, card(i), "during-" + i);
            assertThat(answer.toString())
                    .as("the champion's answer, as before the rollout")
                    .isEqualTo(before.get(card(i)).replace("before-" + i, "during-" + i));
            assertThat(answer.at("/parameters/role").asString()).isEqualTo("champion");
        }

        Map<String, Map<String, JsonNode>> logged = logsByRole(model, "during-", 2 * KEYS);
        assertThat(logged.get("shadow")).hasSize(KEYS);
        assertThat(logged.get("champion").keySet())
                .isEqualTo(logged.get("shadow").keySet());
        for (int i = 0; i < KEYS; i++) {
            JsonNode shadowLog = logged.get("shadow").get("during-" + i);
            JsonNode championLog = logged.get("champion").get("during-" + i);
            assertThat(shadowLog.get("version").asInt()).isEqualTo(shadow);
            assertThat(shadowLog.get("rollout_id").asLong()).isEqualTo(rollout);
            assertThat(championLog.get("rollout_id").asLong()).isEqualTo(rollout);
            assertThat(championLog.get("rollout_revision").asInt()).isEqualTo(1);
            assertThat(shadowLog.get("rollout_revision").asInt()).isEqualTo(1);
            assertThat(championLog.get(HEADER).asString()).isEqualTo(String.valueOf(rollout));
            assertThat(shadowLog.get(HEADER).asString()).isEqualTo(String.valueOf(rollout));
            assertThat(championLog.get("assignment_unit").asString())
                    .as("the key value the request was assigned by")
                    .isEqualTo(card(i));
            assertThat(shadowLog.get("assignment_unit").asString()).isEqualTo(card(i));
            assertThat(shadowLog.has("inputs"))
                    .as("the shadow scored the answer's inputs, logged with the answer")
                    .isFalse();
            assertThat(championLog.get("inputs")).isNotNull();
            // inputs [1, 0]: the champion scores sigmoid(1), the shadow sigmoid(2)
            assertThat(shadowLog.at("/outputs/0/data/0").floatValue()).isEqualTo((float) (1 / (1 + Math.exp(-2))));
            assertThat(championLog.at("/outputs/0/data/0").floatValue()).isEqualTo((float) (1 / (1 + Math.exp(-1))));
            assertThat(shadowLog.at("/latency_ms/inference").asDouble()).isPositive();
        }
        assertThat(prometheus())
                .containsPattern("sextant_prediction_shadow_total\\{[^}]*model=\"" + model
                        + "\",outcome=\"scored\",version=\"" + shadow + "\"} " + KEYS + "(\\.0)?\n")
                .containsPattern("sextant_prediction_shadow_cpu_seconds_total(\\{[^}]*})? [0-9]");
    }

    @Test
    void aShadowWithItsOwnBindingReadsItsOwnFeaturesForTheKeysInItsShare() throws Exception {
        String model = "domain-shadowed-" + System.nanoTime();
        int champion = registry.register(
                model,
                OnnxModels.logisticRegression(new float[] {1f, 0.01f}, 0f),
                """
                {"features": [{"ref": "request:amount", "default": 0},
                              {"ref": "card_profile:card_age_days", "default": 365}]}""");
        int shadow = registry.register(
                model,
                OnnxModels.logisticRegression(new float[] {1f, 0.5f}, 0f),
                """
                {"features": [{"ref": "request:amount", "default": 0},
                              {"ref": "card_txn_stats:txn_count_10m", "default": 4}]}""");
        registry.setAlias(model, "champion", champion);
        String salt = json.readTree(registry.startRollout(
                        model,
                        """
                        {"strategy": "shadow", "key": "card_id", "shadow": {"version": %d, "share": 0.5}}"""
                                .formatted(shadow)))
                .get("salt")
                .asString();
        catalog.reconcile();

        Set<String> expected = new TreeSet<>();
        ShadowSample sample = ShadowSample.of(salt, 0.5);
        for (int i = 0; i < KEYS; i++) {
            JsonNode answer = json.readTree(http.post()
                    .uri("/api/v1/predict/" + model)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"id\": \"domain-" + i + "\", \"entities\": {\"card_id\": \"" + card(i)
                            + "\"}, \"request\": {\"amount\": 2}}")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody(String.class)
                    .returnResult()
                    .getResponseBody());
            assertThat(answer.get("version").asInt()).isEqualTo(champion);
            if (sample.scores(card(i))) {
                expected.add("domain-" + i);
            }
        }

        Map<String, Map<String, JsonNode>> logged = logsByRole(model, "domain-", KEYS + expected.size());
        assertThat(new TreeSet<>(logged.get("shadow").keySet())).isEqualTo(expected);
        JsonNode shadowLog = logged.get("shadow").get(expected.iterator().next());
        assertThat(shadowLog.at("/features/1/name").asString()).isEqualTo("card_txn_stats:txn_count_10m");
        assertThat(shadowLog.at("/features/1/values/0").asInt()).isEqualTo(4);
        assertThat(shadowLog.at("/outputs/0/data/0").floatValue()).isEqualTo((float) (1 / (1 + Math.exp(-4))));
    }

    @Test
    void aRequestItsAssignedVersionFailsAndAFailingShadowAreLoggedWithTheirErrors() throws Exception {
        String model = "failing-" + System.nanoTime();
        String withDefault =
                """
                {"features": [{"ref": "request:amount", "default": 0},
                              {"ref": "card_profile:card_age_days", "default": 365}]}""";
        // no default for an online feature: every card never seen fails with 422 on these versions
        String withoutDefault =
                """
                {"features": [{"ref": "request:amount", "default": 0},
                              {"ref": "card_profile:card_age_days"}]}""";
        byte[] onnx = OnnxModels.logisticRegression(new float[] {1f, 0.01f}, 0f);
        int champion = registry.register(model, onnx, withDefault);
        int challenger = registry.register(model, onnx, withoutDefault);
        int shadow = registry.register(model, onnx, withoutDefault);
        registry.setAlias(model, "champion", champion);
        long rollout = json.readTree(registry.startRollout(
                        model,
                        """
                        {"strategy": "canary", "challengers": [%d], "key": "card_id", "steps": [{"weight": 50}],
                         "shadow": {"version": %d, "share": 1.0}}"""
                                .formatted(challenger, shadow)))
                .get("id")
                .asLong();
        catalog.reconcile();

        int failed = 0;
        for (int i = 0; i < 40; i++) {
            int status = http.post()
                    .uri("/api/v1/predict/" + model)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"id\": \"failing-" + i + "\", \"entities\": {\"card_id\": \"" + card(i) + "\"}}")
                    .exchange()
                    .returnResult(String.class)
                    .getStatus()
                    .value();
            assertThat(status).isIn(200, 422);
            failed += status == 422 ? 1 : 0;
        }
        assertThat(failed).as("the challenger's half").isBetween(5, 35);

        Map<String, Map<String, JsonNode>> logged = logsByRole(model, "failing-", 40 + (40 - failed));
        assertThat(logged.get("challenger")).hasSize(failed);
        JsonNode error = logged.get("challenger").values().iterator().next();
        assertThat(error.get("version").asInt()).isEqualTo(challenger);
        assertThat(error.get("rollout_id").asLong()).isEqualTo(rollout);
        assertThat(error.get("error").asString()).isEqualTo("features_unassembled");
        int failing = Integer.parseInt(error.get("request_id").asString().substring("failing-".length()));
        assertThat(error.get("assignment_unit").asString()).isEqualTo(card(failing));
        assertThat(error.has("outputs")).isFalse();
        assertThat(logged.get("champion")).hasSize(40 - failed);
        assertThat(logged.get("shadow").keySet())
                .isEqualTo(logged.get("champion").keySet());
        assertThat(logged.get("shadow").values())
                .allSatisfy(log -> assertThat(log.get("error").asString()).isEqualTo("features_unassembled"));
    }

    /** Where {@link #logsByRole} puts a record's rollout header. */
    private static final String HEADER = "header:" + PredictionLog.ROLLOUT_HEADER;

    /**
     * The model's logs of the requests whose id starts with {@code prefix}, by role and request id; a record's
     * rollout header, as the field {@value #HEADER}.
     */
    private Map<String, Map<String, JsonNode>> logsByRole(String model, String prefix, int count) {
        List<ConsumerRecord<String, String>> records = KafkaBroker.shared()
                .awaitRecords(
                        "prediction-logs.v1",
                        read -> read.stream()
                                        .filter(record -> model.equals(record.key()))
                                        .filter(record -> record.value().contains("\"request_id\":\"" + prefix))
                                        .count()
                                >= count,
                        count + " logs of " + model,
                        Duration.ofSeconds(30));
        Map<String, Map<String, JsonNode>> byRole = new HashMap<>();
        for (ConsumerRecord<String, String> record : new ArrayList<>(records)) {
            if (!model.equals(record.key())) {
                continue;
            }
            EventContracts.assertConforms("prediction-logs.v1", record.value());
            JsonNode log = json.readTree(record.value());
            Header rolloutHeader = record.headers().lastHeader(PredictionLog.ROLLOUT_HEADER);
            if (rolloutHeader != null) {
                // kept with the value, for the assertions
                ((ObjectNode) log).put(HEADER, new String(rolloutHeader.value(), StandardCharsets.US_ASCII));
            }
            String id = log.get("request_id").asString();
            if (id.startsWith(prefix)) {
                byRole.computeIfAbsent(log.get("traffic_role").asString(), role -> new HashMap<>())
                        .put(id, log);
            }
        }
        return byRole;
    }

    private JsonNode infer(String model, String card, String id) {
        return json.readTree(http.post()
                .uri("/v2/models/" + model + "/infer")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"id\": \"" + id + "\", \"parameters\": {\"card_id\": \"" + card + "\"}, \"inputs\":"
                        + " [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, 0]}]}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    }

    private String prometheus() {
        return http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    /** Cards no other test writes features for: every online feature of theirs takes its default. */
    private static String card(int i) {
        return "shadow-card-" + i;
    }
}
