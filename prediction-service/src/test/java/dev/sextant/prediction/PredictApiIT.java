package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.features.client.online.FeatureRow;
import dev.sextant.features.client.online.OnlineFeatureWriter;
import dev.sextant.features.client.online.OnlineStoreConnection;
import dev.sextant.localservers.Ports;
import dev.sextant.prediction.catalog.ModelCatalog;
import dev.sextant.testsupport.OnnxModels;
import dev.sextant.testsupport.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The domain API against a real Redis (a server of its own, stopped and restarted by one test), the real model
 * registry and real ONNX Runtime: online features read in-process, defaults, batches, refusals and the per-model
 * policy while Redis is away.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sextant.prediction.reconcile-interval=1h",
            "spring.kafka.listener.auto-startup=false",
            "sextant.prediction.logs.buffer-capacity=4",
            "sextant.prediction.features.max-rows=5",
            "sextant.prediction.features.when-unavailable-by-model.strict-scorer=fail"
        })
@AutoConfigureRestTestClient
class PredictApiIT {

    /** x = [amount, card's txn_count_1h, merchant's risk_score, txn_context:exceeds_max_1h]. */
    private static final float[] WEIGHTS = {0.01f, 0.1f, 2f, 1f};

    private static final float BIAS = -1f;

    private static final String BINDING =
            """
            {"features": [{"ref": "request:amount", "default": 0},
                          {"ref": "card_txn_stats:txn_count_1h", "default": 0},
                          {"ref": "merchant_profile:risk_score", "default": 0.5},
                          {"ref": "txn_context:exceeds_max_1h", "default": false}]}""";

    private static final RedisServer REDIS = RedisServer.startDedicated();
    private static RegistryProcess registry;
    private static String scorer;

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    @Autowired
    ModelCatalog catalog;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry properties) throws Exception {
        properties.add("sextant.prediction.registry.url", registry::url);
        properties.add("spring.data.redis.url", REDIS::url);
        int noKafka = Ports.free();
        properties.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + noKafka);
    }

    @BeforeAll
    static void models() throws Exception {
        registry = RegistryProcess.start();
        scorer = "scorer-" + System.nanoTime();
        registry.setAlias(
                scorer, "champion", registry.register(scorer, OnnxModels.logisticRegression(WEIGHTS, BIAS), BINDING));
        registry.setAlias(
                "strict-scorer",
                "champion",
                registry.register("strict-scorer", OnnxModels.logisticRegression(WEIGHTS, BIAS), BINDING));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        registry.close();
        REDIS.close();
    }

    /** A card seen 3 times in the last hour, the largest payment 100, and a merchant of risk 0.25. */
    private static void write(String card, String merchant) {
        FeatureRepository repository = FeatureRepositoryLoader.bundled();
        try (OnlineStoreConnection store = new OnlineStoreConnection(REDIS.url(), Duration.ofSeconds(2))) {
            OnlineFeatureWriter writer = new OnlineFeatureWriter(store, Duration.ofSeconds(2), Duration.ofHours(1));
            var stats = repository.view("card_txn_stats").orElseThrow();
            writer.write(
                    stats,
                    List.of(FeatureRow.checked(
                            stats,
                            0,
                            Map.of("card_id", card),
                            Instant.now(),
                            Map.of("txn_count_1h", 3, "amount_max_1h", 100.0))));
            var merchants = repository.view("merchant_profile").orElseThrow();
            writer.write(
                    merchants,
                    List.of(FeatureRow.checked(
                            merchants, 0, Map.of("merchant_id", merchant), Instant.now(), Map.of("risk_score", 0.25))));
        }
    }

    private static double probability(float... x) {
        float z = BIAS;
        for (int i = 0; i < x.length; i++) {
            z += WEIGHTS[i] * x[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void scoresWithTheOnlineFeaturesAndDefaultsWhatIsMissing() throws Exception {
        catalog.reconcile();
        String card = "card-" + UUID.randomUUID();
        String merchant = "merchant-" + UUID.randomUUID();
        write(card, merchant);

        JsonNode answer = predict(
                scorer,
                """
                {"id": "pay-1", "entities": {"card_id": "%s", "merchant_id": "%s"},
                 "request": {"amount": 150, "country": "FR", "channel": "web"}}"""
                        .formatted(card, merchant));

        assertThat(answer.get("model").asString()).isEqualTo(scorer);
        assertThat(answer.get("version").asInt()).isEqualTo(1);
        assertThat(answer.get("request_id").asString()).isEqualTo("pay-1");
        assertThat(answer.get("degraded").asBoolean()).isFalse();
        assertThat(answer.at("/outputs/probability").doubleValue()).isCloseTo(probability(150, 3, 0.25f, 1), within());
        assertThat(answer.get("defaulted").toString()).isEqualTo("[]");

        // an unknown card: its count takes the default; the largest payment unknown, so 50 "exceeds" it
        JsonNode unknown = predict(
                scorer,
                """
                {"entities": {"card_id": "unknown-%s", "merchant_id": "%s"}, "request": {"amount": 50, "country": "FR"}}"""
                        .formatted(card, merchant));
        assertThat(unknown.get("request_id").asString()).hasSize(36);
        assertThat(unknown.at("/outputs/probability").doubleValue()).isCloseTo(probability(50, 0, 0.25f, 1), within());
        assertThat(unknown.get("defaulted").toString()).isEqualTo("[\"card_txn_stats:txn_count_1h\"]");

        String metrics = http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();
        assertThat(metrics)
                .containsPattern("sextant_prediction_requests_seconds_count\\{api=\"predict\",[^}]*model=\"" + scorer
                        + "\",outcome=\"ok\",version=\"1\"} 2")
                .containsPattern("sextant_prediction_features_read_seconds_count\\{[^}]*model=\"" + scorer
                        + "\",version=\"1\"} 2")
                .containsPattern("sextant_prediction_features_defaulted_total\\{[^}]*feature=\"card_txn_stats:"
                        + "txn_count_1h\",model=\"" + scorer + "\"} 1");
        assertThat(get("/v3/api-docs").get("paths").propertyNames()).contains("/api/v1/predict/{model}");
    }

    @Test
    void scoresABatchRowByRowInOrder() throws Exception {
        catalog.reconcile();
        String card = "card-" + UUID.randomUUID();
        String merchant = "merchant-" + UUID.randomUUID();
        write(card, merchant);

        JsonNode answer = predict(
                scorer + "?version=1",
                """
                {"rows": [
                  {"entities": {"card_id": "%1$s", "merchant_id": "%2$s"}, "request": {"amount": 20, "country": "FR"}},
                  {"entities": {"card_id": "%1$s", "merchant_id": "other-%2$s"}, "request": {"country": "FR", "amount": 500.5}}
                ]}"""
                        .formatted(card, merchant));

        assertThat(answer.has("outputs")).isFalse();
        JsonNode predictions = answer.get("predictions");
        assertThat(predictions).hasSize(2);
        assertThat(predictions.at("/0/outputs/probability").doubleValue())
                .isCloseTo(probability(20, 3, 0.25f, 0), within());
        assertThat(predictions.at("/0/defaulted").toString()).isEqualTo("[]");
        assertThat(predictions.at("/1/outputs/probability").doubleValue())
                .isCloseTo(probability(500.5f, 3, 0.5f, 1), within());
        assertThat(predictions.at("/1/defaulted").toString()).isEqualTo("[\"merchant_profile:risk_score\"]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
            no entities                | {"request": {"amount": 1, "country": "FR"}} | 400 | entities lacks join key 'card_id' (STRING)
            a misspelt join key        | {"entities": {"card_id": "c", "merchant_id": "m", "cardid": "c"}, "request": {"amount": 1, "country": "FR"}} | 400 | entities.cardid is not a join key of any entity
            a join key of a wrong type | {"entities": {"card_id": 7, "merchant_id": "m"}, "request": {"amount": 1, "country": "FR"}} | 400 | join key 'card_id' expects text
            an amount that is text     | {"entities": {"card_id": "c", "merchant_id": "m"}, "request": {"amount": "lots", "country": "FR"}} | 400 | request.amount must be FLOAT64
            no country                 | {"entities": {"card_id": "c", "merchant_id": "m"}, "request": {"amount": 1}} | 400 | request lacks request value 'country'
            one row and a batch        | {"entities": {"card_id": "c"}, "rows": []} | 400 | either entities and request (one row) or rows
            an empty batch             | {"rows": []} | 400 | rows must hold at least one row
            too many rows              | {"rows": [{}, {}, {}, {}, {}, {}]} | 400 | at most 5 rows per request, got 6
            a bad row of a batch       | {"rows": [{"entities": {"card_id": "c", "merchant_id": "m"}, "request": {"amount": 1, "country": "FR"}}, {"entities": {"merchant_id": "m"}}] } | 400 | rows[1].entities lacks join key 'card_id'
            not JSON                   | {"entities": | 400 | request body is not valid
            """)
    void refusesBadRequestsWithAProblemNamingTheField(String name, String body, int status, String detail) {
        catalog.reconcile();
        JsonNode problem = refused("/api/v1/predict/" + scorer, body, status);
        assertThat(problem.get("detail").asString()).contains(detail);
    }

    @Test
    void refusesModelsItCannotScore() throws Exception {
        String unbound = "unbound-" + System.nanoTime();
        registry.setAlias(
                unbound, "champion", registry.register(unbound, OnnxModels.logisticRegression(WEIGHTS, BIAS)));
        String undefined = "undefined-" + System.nanoTime();
        registry.setAlias(
                undefined,
                "champion",
                registry.register(
                        undefined,
                        OnnxModels.logisticRegression(new float[] {1f}, 0f),
                        "{\"features\": [{\"ref\": \"card_txn_stats:no_such_feature\", \"default\": 0}]}"));
        catalog.reconcile();
        String body = "{\"entities\": {\"card_id\": \"c\"}}";

        assertThat(refused("/api/v1/predict/" + unbound, body, 422)
                        .get("detail")
                        .asString())
                .contains("declares no feature binding")
                .contains("/v2/models/" + unbound + "/infer");
        assertThat(refused("/api/v1/predict/" + undefined, body, 422)
                        .get("detail")
                        .asString())
                .contains("feature view 'card_txn_stats' has no feature 'no_such_feature'");
        assertThat(refused("/api/v1/predict/no-such-model", body, 404)
                        .get("detail")
                        .asString())
                .contains("no-such-model");
        assertThat(refused("/api/v1/predict/" + scorer + "?version=99", body, 404)
                        .get("detail")
                        .asString())
                .contains("99");
        http.post()
                .uri("/api/v1/predict/" + scorer)
                .contentType(MediaType.TEXT_PLAIN)
                .body("hello")
                .exchange()
                .expectStatus()
                .isEqualTo(415);
    }

    @Test
    void whileRedisIsAwayAnswersWithDefaultsOrFailsFastPerModelAndRecoversByItself() throws Exception {
        catalog.reconcile();
        String card = "card-" + UUID.randomUUID();
        String merchant = "merchant-" + UUID.randomUUID();
        write(card, merchant);
        String body =
                """
                {"entities": {"card_id": "%s", "merchant_id": "%s"}, "request": {"amount": 150, "country": "FR"}}"""
                        .formatted(card, merchant);
        assertThat(predict("strict-scorer", body).get("degraded").asBoolean()).isFalse();

        REDIS.stop();
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                JsonNode degraded = predict(scorer, body);
                assertThat(degraded.get("degraded").asBoolean()).isTrue();
                assertThat(degraded.at("/outputs/probability").doubleValue())
                        .isCloseTo(probability(150, 0, 0.5f, 0), within());
                assertThat(degraded.get("defaulted").toString())
                        .isEqualTo("[\"card_txn_stats:txn_count_1h\",\"merchant_profile:risk_score\","
                                + "\"txn_context:exceeds_max_1h\"]");
            });
            long start = System.nanoTime();
            JsonNode failed = refused("/api/v1/predict/strict-scorer", body, 503);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("fails fast, never hangs")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(failed.get("title").asString()).isEqualTo("Online store unavailable");
        } finally {
            REDIS.start();
        }
        write(card, merchant);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            JsonNode recovered = predict("strict-scorer", body);
            assertThat(recovered.get("degraded").asBoolean()).isFalse();
            assertThat(recovered.at("/outputs/probability").doubleValue())
                    .isCloseTo(probability(150, 3, 0.25f, 1), within());
        });
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-6);
    }

    private JsonNode predict(String model, String body) throws Exception {
        String answer = http.post()
                .uri("/api/v1/predict/" + model)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();
        return json.readTree(answer);
    }

    private JsonNode refused(String uri, String body, int status) {
        String answer = http.post()
                .uri(uri)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .returnResult(String.class)
                .getResponseBody();
        return json.readTree(answer);
    }

    private JsonNode get(String uri) {
        return json.readTree(http.get()
                .uri(uri)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody());
    }
}
