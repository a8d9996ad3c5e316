package dev.sextant.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.PredictionLogs;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rollout's prediction logs and labels, through a real Kafka broker, become its evidence: per version its role,
 * requests, errors and quality on labels, and its shadow's agreement with the answers. A shadow's scoring shares
 * its request id with the answer, and only the answer is joined with the label. On that evidence the controller
 * acts on a real model registry (its packaged jar): a better challenger's canary advances step by step to its
 * promotion, a worse one is rolled back, and so are a slow and a failing one; an A/B test's sequential test promotes the better of two challengers; a
 * bandit moves traffic to the better arm on its first labels and promotes it once it is sure; each decision with
 * its reason in the rollout's history.
 */
@WithKafka
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sextant.monitoring.rollouts.interval=300ms",
            "sextant.monitoring.rollouts.min-live-samples=50",
            "sextant.monitoring.rollouts.min-labels=100"
        })
class RolloutEvidenceIT {

    static final String CANARY = "canary-watch";
    static final ServiceJar REGISTRY = PredictionLogs.registryWith(CANARY);

    static final String MODEL = "rollout-watch";
    static final long ROLLOUT = 42;
    static final int REQUESTS = 100;
    static final Instant TIME = Instant.parse("2026-12-07T06:00:00Z");
    static final JsonMapper JSON = RolloutTraffic.JSON;
    static final HttpClient HTTP = RolloutTraffic.HTTP;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
        registry.add("sextant.monitoring.registry-url", REGISTRY::url);
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        REGISTRY.close();
    }

    @Test
    void aBetterChallengersCanaryIsAdvancedToPromotionAndAWorseOneIsRolledBackOnTheirLabels() throws Exception {
        RolloutTraffic traffic = new RolloutTraffic(REGISTRY, CANARY, 1);
        PredictionLogs.register(REGISTRY.url(), CANARY); // v2, better
        PredictionLogs.register(REGISTRY.url(), CANARY); // v3, its scores are noise
        traffic.registry("PUT", "/api/v1/models/" + CANARY + "/aliases/champion", "{\"version\": 1}", 200);
        String canary =
                """
                {"strategy": "canary", "challengers": [%d], "key": "card_id",
                 "steps": [{"weight": 10, "min_requests": 100, "min_labels": 100},
                           {"weight": 50, "min_requests": 100, "min_labels": 100}],
                 "guards": {"max_latency_ratio": 2, "max_error_rate": 0.05,
                            "quality": {"metric": "roc_auc", "max_degradation": 0.02, "alpha": 0.05}}}""";

        long better = traffic.start(canary.formatted(2));
        JsonNode promoted = traffic.until(better, Map.of(1, 0.0, 2, 0.45), "promoted");
        assertThat(promoted.get("arms").get(0).get("version").asInt())
                .as("the new champion")
                .isEqualTo(2);
        assertThat(RolloutTraffic.actions(promoted))
                .containsSubsequence("advance by monitoring", "advance by monitoring");

        long worse = traffic.start(canary.formatted(3));
        JsonNode rolledBack = traffic.until(worse, Map.of(2, 0.0, 3, -1.0), "rolled_back");
        assertThat(RolloutTraffic.actions(rolledBack)).contains("roll_back by monitoring");
        assertThat(rolledBack.get("history").get(0).get("reason").asString()).startsWith("the challenger's roc_auc");
        assertThat(get("/api/v1/monitoring/models/" + CANARY + "/rollouts")
                        .at("/rollouts/0/decisions/0/action")
                        .asString())
                .isEqualTo("roll_back");
        HttpResponse<String> scrape = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.body())
                .as("the decisions the alerting rules watch (DriftDetectionIT checks the other names)")
                .containsPattern("sextant_monitoring_rollout_decisions_total\\{[^}]*action=\"roll_back\"[^}]*model=\""
                        + CANARY + "\"[^}]*} 1");
    }

    @Test
    void aSlowChallengerAndAFailingOneAreRolledBackOnTheirLiveEvidence() throws Exception {
        String model = "guarded-watch";
        RolloutTraffic traffic =
                new RolloutTraffic(REGISTRY, model, 4).slow(2, 6.0).failing(3, 0.1);
        for (int i = 0; i < 3; i++) {
            PredictionLogs.register(REGISTRY.url(), model);
        }
        traffic.registry("PUT", "/api/v1/models/" + model + "/aliases/champion", "{\"version\": 1}", 200);
        String canary =
                """
                {"strategy": "canary", "challengers": [%d], "key": "card_id",
                 "steps": [{"weight": 50, "min_requests": 100000}],
                 "guards": {"max_latency_ratio": 2, "max_error_rate": 0.02}}""";

        JsonNode slow = traffic.until(traffic.start(canary.formatted(2)), Map.of(), "rolled_back");
        assertThat(slow.at("/history/0/reason").asString())
                .startsWith("the challenger's p99")
                .contains("above max_latency_ratio 2");

        JsonNode failing = traffic.until(traffic.start(canary.formatted(3)), Map.of(), "rolled_back");
        assertThat(failing.at("/history/0/reason").asString())
                .startsWith("the challenger failed")
                .contains("above max_error_rate 0.02");
        assertThat(failing.at("/history/0/changed_by").asString()).isEqualTo("monitoring");
    }

    @Test
    void anAbTestPromotesTheChallengerItsSequentialTestFindsBetterWithItsSplitChecked() throws Exception {
        String model = "ab-watch";
        RolloutTraffic traffic = new RolloutTraffic(REGISTRY, model, 2);
        for (int i = 0; i < 3; i++) {
            PredictionLogs.register(REGISTRY.url(), model);
        }
        traffic.registry("PUT", "/api/v1/models/" + model + "/aliases/champion", "{\"version\": 1}", 200);
        long test = traffic.start(
                """
                {"strategy": "ab_test", "challengers": [2, 3], "key": "card_id",
                 "test": {"metric": "roc_auc", "alpha": 0.05, "power": 0.8, "minimum_detectable_effect": 0.05}}""");

        JsonNode promoted = traffic.until(test, Map.of(1, 0.0, 2, 0.0, 3, 0.3), "promoted");

        assertThat(promoted.at("/arms/0/version").asInt())
                .as("the new champion")
                .isEqualTo(3);
        assertThat(promoted.at("/history/0/changed_by").asString()).isEqualTo("monitoring");
        assertThat(promoted.at("/history/0/reason").asString())
                .startsWith("version 3's roc_auc")
                .contains("better than the champion's")
                .contains("always-valid p = ");
        JsonNode analysis =
                get("/api/v1/monitoring/models/" + model + "/rollouts").at("/rollouts/0/analysis");
        assertThat(analysis.at("/sample_ratio/mismatch").asBoolean()).isFalse();
        assertThat(analysis.at("/sample_ratio/units").size()).isEqualTo(3);
        assertThat(analysis.at("/comparisons/1/verdict").asString()).isEqualTo("better");
        assertThat(analysis.at("/comparisons/1/alpha").asDouble())
                .as("Bonferroni")
                .isEqualTo(0.025);
        assertThat(analysis.at("/comparisons/1/low").asDouble()).isPositive();
        assertThat(analysis.at("/comparisons/1/required_labels").asLong()).isPositive();
    }

    @Test
    void aBanditShiftsTrafficToTheBetterArmOnItsFirstLabelsAndPromotesItOnceItIsSure() throws Exception {
        String model = "bandit-watch";
        RolloutTraffic traffic = new RolloutTraffic(REGISTRY, model, 3);
        PredictionLogs.register(REGISTRY.url(), model);
        PredictionLogs.register(REGISTRY.url(), model);
        traffic.registry("PUT", "/api/v1/models/" + model + "/aliases/champion", "{\"version\": 1}", 200);
        long bandit = traffic.start(
                """
                {"strategy": "bandit", "challengers": [2], "key": "card_id",
                 "bandit": {"reward": "correct_decision", "exploration_floor": 0.1, "update_interval": "PT10S"}}""");
        // the champion's scores are noise (half its decisions right), the challenger's separate the labels: a gap
        // the posterior sees on the first few dozen labels, whenever the controller looks
        Map<Integer, Double> skill = Map.of(1, -1.0, 2, 0.45);

        // fewer labels than min-labels: the posterior moves the weights, but may not end the bandit yet
        traffic.round(traffic.rollout(bandit), skill, 120, 120);
        JsonNode reweighed = await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> traffic.rollout(bandit), now -> now.get("revision").asInt() > 1);
        assertThat(reweighed.get("state").asString()).isEqualTo("running");
        assertThat(reweighed.at("/history/0/action").asString()).isEqualTo("reweigh");
        assertThat(reweighed.at("/arms/1/weight").asDouble())
                .as("the better arm's share")
                .isGreaterThan(60);
        assertThat(reweighed.at("/arms/0/weight").asDouble()).as("the floor").isGreaterThanOrEqualTo(10);

        JsonNode promoted = traffic.until(bandit, skill, "promoted");
        assertThat(promoted.at("/arms/0/version").asInt()).isEqualTo(2);
        assertThat(promoted.at("/history/0/reason").asString()).startsWith("version 2 is the best arm");
        JsonNode evidence =
                get("/api/v1/monitoring/models/" + model + "/rollouts").at("/rollouts/0");
        assertThat(evidence.at("/decisions/0/action").asString()).isEqualTo("promote");
        assertThat(evidence.at("/decisions/1/action").asString()).isEqualTo("reweigh");
        assertThat(evidence.at("/decisions/1/weights").size())
                .as("the shares it set")
                .isEqualTo(2);
        assertThat(evidence.at("/analysis/arms/1/probability_best").asDouble()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void aRolloutsLogsAndLabelsBecomeItsEvidencePerVersionWithTheShadowKeptOutOfTheLabelJoin() throws Exception {
        try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
            for (int i = 0; i < REQUESTS; i++) {
                boolean positive = i % 4 == 0;
                double championScore = positive ? 0.8 : 0.2;
                // the shadow's log comes first here: pairs form whichever comes first
                send(producer, log("a-" + i, 3, "shadow", championScore + 0.1, null));
                send(producer, log("a-" + i, 1, "champion", championScore, null));
                send(producer, log("b-" + i, 2, "challenger", (i * 37 % 100) / 100.0, null));
                if (i < 10) {
                    send(producer, log("e-" + i, 2, "challenger", Double.NaN, "runtime_error"));
                }
            }
            producer.flush();
            for (int i = 0; i < REQUESTS; i++) {
                send(producer, "labels.v1", RolloutTraffic.label("a-" + i, i % 4 == 0));
                send(producer, "labels.v1", RolloutTraffic.label("b-" + i, i % 4 == 0));
            }
        }

        JsonNode rollout = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> get("/api/v1/monitoring/models/" + MODEL + "/rollouts")
                                .path("rollouts")
                                .path(0),
                        found -> found.path("versions")
                                                .path(1)
                                                .path("quality")
                                                .path("labels")
                                                .asLong()
                                        == REQUESTS
                                && found.path("versions")
                                                .path(0)
                                                .path("quality")
                                                .path("labels")
                                                .asLong()
                                        == REQUESTS);
        assertThat(rollout.get("rollout_id").asLong()).isEqualTo(ROLLOUT);
        JsonNode champion = rollout.at("/versions/0");
        JsonNode challenger = rollout.at("/versions/1");
        JsonNode shadow = rollout.at("/versions/2");
        assertThat(champion.get("role").asString()).isEqualTo("champion");
        assertThat(champion.get("requests").asLong()).isEqualTo(REQUESTS);
        assertThat(champion.at("/quality/roc_auc").asDouble()).isEqualTo(1.0);
        assertThat(challenger.get("errors").asLong()).isEqualTo(10);
        assertThat(challenger.get("error_rate").asDouble()).isCloseTo(10.0 / 110, within(1e-9));
        assertThat(challenger.at("/quality/roc_auc").asDouble()).isBetween(0.3, 0.7);
        assertThat(shadow.get("role").asString()).isEqualTo("shadow");
        assertThat(shadow.get("requests").asLong()).isEqualTo(REQUESTS);
        assertThat(shadow.get("quality").isNull())
                .as("a shadow is never joined with labels")
                .isTrue();
        assertThat(rollout.at("/shadow_agreement/pairs").asLong()).isEqualTo(REQUESTS);
        assertThat(rollout.at("/shadow_agreement/mean_difference").asDouble()).isCloseTo(0.1, within(1e-6));
        assertThat(rollout.at("/shadow_agreement/decision_flips").asLong())
                .as("0.2 → 0.3 and 0.8 → 0.9 never cross 0.5")
                .isZero();
        assertThat(champion.at("/total_ms/p99").asDouble()).isEqualTo(1.5);
    }

    private static String log(String id, int version, String role, double score, String error) {
        return RolloutTraffic.log(MODEL, id, version, role, ROLLOUT, id, score, error);
    }

    private static void send(KafkaProducer<String, String> producer, String value) {
        producer.send(RolloutTraffic.record(MODEL, ROLLOUT, value));
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String value) {
        send(producer, topic, MODEL, value);
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
