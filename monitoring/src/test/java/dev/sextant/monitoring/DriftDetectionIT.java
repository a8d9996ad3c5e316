package dev.sextant.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.contracts.EventContracts;
import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.PredictionLogs;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
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
 * Monitoring against a real Kafka and the real model registry (its jar): a version registered with reference
 * distributions of its three inputs and its score; generated prediction logs from the same distributions raise
 * no alert over many windows; logs whose amounts tripled raise an alert on that feature within one window; a
 * malformed record goes to the dead-letter topic and consumption goes on; a replayed log is counted once. Each test
 * watches a model of its own, registered when it starts, so the tests stand alone and run in any order.
 */
@WithKafka
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DriftDetectionIT {

    static final int WINDOW = 1_000;
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ServiceJar REGISTRY = PredictionLogs.registry();
    /** Counted only once what they count happens, which this test does not cause; RolloutEvidenceIT sees them. */
    static final java.util.Set<String> EXPORTED_ELSEWHERE =
            java.util.Set.of("sextant_monitoring_rollout_decisions_total");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
        registry.add("sextant.monitoring.registry-url", REGISTRY::url);
        registry.add("sextant.monitoring.window.duration", () -> "1h");
        registry.add("sextant.monitoring.window.count", () -> WINDOW);
        registry.add("sextant.monitoring.window.min-samples", () -> 500);
        registry.add("sextant.monitoring.skew.samples", () -> 2 * WINDOW);
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        REGISTRY.close();
    }

    /** A test's own model: version 1 registered with its binding and reference, and the logs it is served with. */
    record Watched(String model, PredictionLogs logs) {

        static Watched register(String model, long seed) throws Exception {
            PredictionLogs.register(REGISTRY.url(), model);
            return new Watched(model, new PredictionLogs(model, seed));
        }

        /** {@code count} logs of version 1 (the eleventh twice: a replay), then {@code extra} records as they are. */
        void send(int count, double amountFactor, List<String> extra) {
            try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
                for (int i = 0; i < count; i++) {
                    String value = logs.log(model + "-" + UUID.randomUUID(), logs.row(amountFactor));
                    producer.send(new ProducerRecord<>("prediction-logs.v1", model, value));
                    if (i == 10) {
                        producer.send(new ProducerRecord<>("prediction-logs.v1", model, value)); // a replay
                    }
                }
                for (String value : extra) {
                    producer.send(new ProducerRecord<>("prediction-logs.v1", model, value));
                }
            }
        }
    }

    @Test
    void driftThatLastsThreeWindowsRequestsOneRetrainWithTheEvidence() throws Exception {
        Watched watched = Watched.register("drift-lasting", 13);
        String model = watched.model();
        watched.send(3 * WINDOW + 1, 3.0, List.of());
        var request = KafkaBroker.shared()
                .awaitRecord("retrain-requests.v1", record -> model.equals(record.key()), Duration.ofSeconds(60));
        EventContracts.assertConforms("retrain-requests.v1", request.value());
        JsonNode retrain = JSON.readTree(request.value());
        assertThat(retrain.get("reason").asString()).contains("request:amount").contains("3 windows in a row");
        assertThat(retrain.path("evidence").path("alerting").has("request:amount"))
                .isTrue();
        assertThat(retrain.get("idempotency_key").asString()).startsWith("drift-" + model + "-v1-");
        // A lasting alert is one event, not one per window.
        long raised = 0;
        for (JsonNode alert : get("/api/v1/monitoring/alerts?model=" + model).path("alerts")) {
            if (alert.get("feature").asString().equals("request:amount")
                    && alert.get("severity").asString().equals("alert")) {
                raised++;
            }
        }
        assertThat(raised).isEqualTo(1);
    }

    @Test
    void delayedLabelsJoinedWithTheirPredictionsGiveOnlineMetrics() throws Exception {
        // Two windows of predictions (and the log that closes the second), each labelled two hours later: two windows
        // of drift, quality and performance, and the version's skew measured on its first 2,000 predictions.
        Watched watched = Watched.register("drift-labelled", 21);
        String model = watched.model();
        PredictionLogs logs = watched.logs();
        Random random = new Random(21);
        try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < 2 * WINDOW + 1; i++) {
                double[] row = logs.row(1.0);
                String id = model + "-" + i;
                producer.send(new ProducerRecord<>("prediction-logs.v1", model, logs.log(id, row)));
                boolean fraud = random.nextDouble() < Math.min(1, 4 * row[3]);
                labels.add(PredictionLogs.label(
                        id, fraud, logs.clock(), logs.clock().plus(Duration.ofHours(2))));
            }
            producer.flush();
            for (String label : labels) {
                producer.send(new ProducerRecord<>("labels.v1", label));
            }
        }
        JsonNode windows = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> get("/api/v1/monitoring/models/" + model + "/versions/1/performance")
                                .path("windows"),
                        w -> w.size() > 0);
        JsonNode metrics = windows.get(0).path("metrics");
        assertThat(metrics.get("labels").doubleValue()).isEqualTo(WINDOW);
        assertThat(metrics.get("roc_auc").doubleValue()).isGreaterThan(0.6);
        assertThat(metrics.get("log_loss").doubleValue()).isPositive();
        assertThat(metrics.get("label_delay_median_seconds").doubleValue()).isBetween(7_000.0, 7_300.0);

        // Every monitoring metric the alerting rules and the Grafana dashboard (deploy/) name is exported.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> get("/api/v1/monitoring/models/" + model + "/versions/1/skew")
                        .get("status")
                        .asString()
                        .equals("MEASURED"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> history(model).size() == 2);
        String scrape = send("GET", "/actuator/prometheus", null).body();
        String ops = Files.readString(Path.of("../deploy/prometheus/rules/sextant.rules.yml"))
                + Files.readString(Path.of("../deploy/grafana/dashboards/sextant.json"));
        java.util.regex.Matcher named =
                java.util.regex.Pattern.compile("sextant_monitoring_[a-z_]+").matcher(ops);
        int checked = 0;
        while (named.find()) {
            if (EXPORTED_ELSEWHERE.contains(named.group())) {
                continue;
            }
            assertThat(scrape).as("exported metric").contains(named.group() + "{");
            checked++;
        }
        assertThat(checked).isGreaterThan(5);
    }

    @Test
    void administratorsChangeAFeaturesThresholdsWhichTakeEffectAtTheNextWindow() throws Exception {
        Watched watched = Watched.register("drift-thresholds", 17);
        assertThat(get("/api/v1/monitoring/thresholds")
                        .path("defaults")
                        .path("psi")
                        .get("alert")
                        .doubleValue())
                .isEqualTo(0.25);
        String path = "/api/v1/monitoring/thresholds/features/request:amount";
        for (String bad : List.of(
                "[]",
                "{}",
                "{\"psi\": {\"warn\": 0.3, \"alert\": 0.2}}",
                "{\"chi_squared\": {\"warn\": 0.001, \"alert\": 0.01}}",
                "{\"psi\": {\"warn\": -1, \"alert\": 0.2}}",
                "{\"psi\": {\"warn\": 0.1}}",
                "{\"wasserstein\": {\"warn\": 0.1, \"alert\": 0.2}}")) {
            HttpResponse<String> refused = send("PUT", path, bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(send(
                                "PUT",
                                "/api/v1/monitoring/thresholds/features/not%20a%20ref",
                                "{\"psi\": {\"warn\": 0.1, \"alert\": 0.2}}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/monitoring/thresholds").path("overrides").has("request:amount"))
                .as("a refused change changes nothing")
                .isFalse();

        // Tripled amounts no longer alert on this feature once its levels are raised; the score still does.
        HttpResponse<String> set = send(
                "PUT", path, "{\"psi\": {\"warn\": 50, \"alert\": 100}, \"ks\": {\"warn\": 0.9, \"alert\": 0.95}}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        JsonNode effective = JSON.readTree(set.body());
        assertThat(effective.path("psi").get("alert").doubleValue()).isEqualTo(100);
        assertThat(effective.path("jensen_shannon").get("alert").doubleValue()).isEqualTo(0.2);
        KafkaBroker.shared()
                .awaitRecord(
                        "monitoring-settings.v1",
                        record -> "feature:request:amount".equals(record.key()),
                        Duration.ofSeconds(10));
        watched.send(WINDOW + 1, 3.0, List.of());
        JsonNode latest = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> history(watched.model()), h -> h.size() > 0)
                .get(0);
        assertThat(latest.path("columns").path("request:amount").get("severity").asString())
                .isEqualTo("OK");
        assertThat(latest.path("columns").path("score").get("severity").asString())
                .isEqualTo("ALERT");

        assertThat(send("DELETE", path, null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", path, null).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/monitoring/thresholds").path("overrides").has("request:amount"))
                .isFalse();
    }

    @Test
    void skewIsTheFirstServedPredictionsOfAVersionAgainstItsTrainingReference() throws Exception {
        // Version 1's first 2,000 predictions are stable traffic: no skew.
        Watched watched = Watched.register("drift-skew", 19);
        String model = watched.model();
        PredictionLogs logs = watched.logs();
        watched.send(2 * WINDOW, 1.0, List.of());
        JsonNode first = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> get("/api/v1/monitoring/models/" + model + "/versions/1/skew"),
                        s -> s.get("status").asString().equals("MEASURED"));
        assertThat(first.get("status").asString()).isEqualTo("MEASURED");
        assertThat(first.path("report").get("status").asString()).isEqualTo("OK");
        assertThat(first.path("report").get("predictions").intValue()).isEqualTo(2 * WINDOW);

        // Version 2 (the same reference) is served without its merchant risk scores: the feature store's value is
        // missing and the binding's default (0.5) is served every time. That is skew from its first predictions.
        PredictionLogs.register(REGISTRY.url(), model);
        assertThat(get("/api/v1/monitoring/models/" + model + "/versions/2/skew")
                        .get("status")
                        .asString())
                .isEqualTo("NOT_SEEN");
        try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
            for (int i = 0; i < 2 * WINDOW; i++) {
                double[] row = logs.row(1.0);
                row[1] = 0.5;
                String value = logs.log("v2-" + i, row)
                        .replace("\"version\": 1,", "\"version\": 2,")
                        .replace(
                                "\"merchant_profile:risk_score\", \"values\": [0.5], \"defaulted\": [false]",
                                "\"merchant_profile:risk_score\", \"values\": [0.5], \"defaulted\": [true]");
                producer.send(new ProducerRecord<>("prediction-logs.v1", model, value));
            }
        }
        JsonNode skew = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> get("/api/v1/monitoring/models/" + model + "/versions/2/skew"),
                        s -> s.get("status").asString().equals("MEASURED"));
        JsonNode risk = skew.path("report").path("columns").path("merchant_profile:risk_score");
        assertThat(risk.get("severity").asString()).isEqualTo("ALERT");
        assertThat(risk.path("quality").get("defaulted_rate").doubleValue()).isEqualTo(1.0);
        assertThat(skew.path("report")
                        .path("columns")
                        .path("request:amount")
                        .get("severity")
                        .asString())
                .isEqualTo("OK");
        String scrape = send("GET", "/actuator/prometheus", null).body();
        assertThat(scrape)
                .containsPattern("sextant_monitoring_skew_severity\\{[^}]*feature=\"merchant_profile:risk_score\""
                        + "[^}]*version=\"2\"[^}]*} 2.0");
    }

    @Test
    void performanceThatStaysBelowTheFloorRequestsARetrain() throws Exception {
        // Labels that ignore the scores: ROC-AUC about 0.5, below the 0.6 floor, for 3 windows of 1,000 labels.
        String model = "perf-watch";
        PredictionLogs logs = new PredictionLogs(model, 31);
        Random random = new Random(32);
        try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < 3 * 1000; i++) {
                String id = "perf-watch-" + i;
                producer.send(new ProducerRecord<>("prediction-logs.v1", model, logs.log(id, logs.row(1.0))));
                labels.add(PredictionLogs.label(
                        id,
                        random.nextDouble() < 0.1,
                        logs.clock(),
                        logs.clock().plus(Duration.ofDays(1))));
            }
            producer.flush();
            for (String label : labels) {
                producer.send(new ProducerRecord<>("labels.v1", label));
            }
        }
        var request = KafkaBroker.shared()
                .awaitRecord("retrain-requests.v1", record -> model.equals(record.key()), Duration.ofSeconds(60));
        EventContracts.assertConforms("retrain-requests.v1", request.value());
        JsonNode retrain = JSON.readTree(request.value());
        assertThat(retrain.get("reason").asString())
                .contains("online ROC-AUC")
                .contains("below 0.600")
                .contains("3 labelled windows in a row");
        assertThat(retrain.path("evidence").path("metrics").get("roc_auc").doubleValue())
                .isLessThan(0.6);
        assertThat(retrain.get("idempotency_key").asString()).startsWith("performance-" + model + "-v1-");
        assertThat(get("/api/v1/monitoring/models/" + model + "/versions/1/performance")
                        .path("windows")
                        .size())
                .isEqualTo(3);
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                        : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The drift windows of the model's version 1, the latest first. */
    JsonNode history(String model) throws Exception {
        HttpResponse<String> response = HTTP.send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/api/v1/monitoring/models/" + model + "/versions/1/drift"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("windows");
    }

    @Test
    void stableTrafficRaisesNoAlertOverManyWindows() throws Exception {
        Watched watched = Watched.register("drift-stable", 11);
        watched.send(5 * WINDOW + 1, 1.0, List.of("{\"model\": \"" + watched.model() + "\", \"version\": \"one\"}"));
        JsonNode windows = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> history(watched.model()), h -> h.size() >= 5);
        for (JsonNode window : windows) {
            assertThat(window.get("status").asString()).as(window.toString()).isEqualTo("OK");
            assertThat(window.get("predictions").longValue()).isEqualTo(WINDOW);
            assertThat(window.path("columns")
                            .path("request:amount")
                            .path("statistics")
                            .has("ks"))
                    .isTrue();
            JsonNode premium =
                    window.path("columns").path("card_profile:is_premium").path("statistics");
            assertThat(premium.has("jensen_shannon")).isTrue();
            assertThat(premium.get("chi_squared_p_value").doubleValue()).isGreaterThan(0.001);
            assertThat(window.path("columns").path("score").path("severity").asString())
                    .isEqualTo("OK");
        }
        var dead = KafkaBroker.shared()
                .awaitRecord(
                        "prediction-logs.v1.dead-letter",
                        record -> watched.model().equals(record.key()),
                        Duration.ofSeconds(30));
        assertThat(new String(dead.headers().lastHeader("sextant-error").value()))
                .contains("must be");
        assertThat(new String(dead.headers().lastHeader("sextant-source").value()))
                .startsWith("prediction-logs.v1-");
    }

    @Test
    void trippledAmountsRaiseAnAlertOnThatFeatureWithinOneWindow() throws Exception {
        // A stable window first, then one of tripled amounts (a window closes when the next log arrives).
        Watched watched = Watched.register("drift-tripled", 15);
        String model = watched.model();
        watched.send(WINDOW, 1.0, List.of());
        watched.send(WINDOW + 1, 3.0, List.of());
        JsonNode latest = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> history(model), h -> h.size() == 2)
                .get(0);
        assertThat(latest.get("status").asString()).isEqualTo("ALERT");
        JsonNode amount = latest.path("columns").path("request:amount");
        assertThat(amount.get("severity").asString()).isEqualTo("ALERT");
        assertThat(amount.path("statistics").get("psi").doubleValue()).isGreaterThan(0.25);
        assertThat(latest.path("columns")
                        .path("merchant_profile:risk_score")
                        .get("severity")
                        .asString())
                .isEqualTo("OK");

        HttpResponse<String> metrics = send("GET", "/actuator/prometheus", null);
        assertThat(metrics.body())
                .contains("sextant_monitoring_drift_severity{")
                .containsPattern("sextant_monitoring_drift\\{.*feature=\"request:amount\".*statistic=\"psi\"");
        var alert = KafkaBroker.shared()
                .awaitRecord(
                        "drift-alerts.v1",
                        record ->
                                model.equals(record.key()) && record.value().contains("\"feature\":\"request:amount\""),
                        Duration.ofSeconds(30));
        EventContracts.assertConforms("drift-alerts.v1", alert.value());
        JsonNode event = JSON.readTree(alert.value());
        assertThat(event.get("severity").asString()).isEqualTo("alert");
        assertThat(event.get("previous_severity").asString()).isEqualTo("ok");
        assertThat(event.get("value").doubleValue())
                .isGreaterThan(event.get("threshold").doubleValue());
        assertThat(get("/api/v1/monitoring/alerts?model=" + model)
                        .path("alerts")
                        .toString())
                .contains("request:amount");

        JsonNode feature = get("/api/v1/monitoring/models/" + model + "/versions/1/features/request:amount/drift");
        assertThat(feature.path("windows").size()).isEqualTo(2);
        assertThat(feature.path("windows").get(0).path("drift").get("severity").asString())
                .isEqualTo("ALERT");
        assertThat(send("GET", "/api/v1/monitoring/models/Not_Valid/versions/1/performance", null)
                        .statusCode())
                .isEqualTo(400);

        HttpResponse<String> unknown = HTTP.send(
                java.net.http.HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/monitoring/models/nobody/drift"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
