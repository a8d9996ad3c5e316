package dev.sextant.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.contracts.EventContracts;
import dev.sextant.examples.fraud.FraudHistory;
import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training orchestrator's packaged jar against a real Kafka, the real model registry and the real feature store
 * (their jars; historical retrieval with DuckDB): labels arrive on labels.v1, a job trains on them joined
 * point-in-time with the features and registers a challenger with everything the platform needs, a worse candidate
 * is rejected against the champion with the evidence, a job survives its orchestrator being killed mid-run, and a
 * burst of retrain requests starts exactly one job. Each test stands alone, on a model of its own where one would
 * change what another sees.
 */
@WithKafka
class TrainingOrchestratorIT {

    static final String MODEL = "fraud-detector";
    static final String RESUMED_MODEL = "fraud-detector-fm";
    static final String GATED_MODEL = "fraud-detector-gated";
    static final int EVENTS = 30_000;
    static final Instant START = Instant.now().minus(Duration.ofDays(15)).truncatedTo(ChronoUnit.DAYS);
    static final Instant END = START.plus(Duration.ofDays(14));
    static final String GOOD_FEATURES = "[{\"ref\": \"request:amount\", \"default\": 0},"
            + " {\"ref\": \"merchant_profile:risk_score\", \"default\": 0.5},"
            + " {\"ref\": \"card_profile:card_age_days\", \"default\": 365},"
            + " {\"ref\": \"txn_context:is_foreign\", \"default\": 0},"
            + " {\"ref\": \"card_profile:is_premium\", \"default\": 0}]";

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static ServiceJar registry;
    static ServiceJar features;
    static ServiceJar orchestrator;
    static Path orchestratorDirectory;
    static String goodJob;

    @BeforeAll
    static void startThePlatform() throws Exception {
        String kafka = KafkaBroker.shared().bootstrapServers();
        Path offline = Files.createTempDirectory("offline-store");
        List<String> labels;
        try (FraudHistory history = FraudHistory.draw(EVENTS, 2_000, 200, START, Duration.ofDays(14))) {
            history.writeOfflineStore(offline.resolve("offline"));
            labels = history.labelEvents();
        }
        registry = ServiceJar.start(jar("model-registry"), "--spring.kafka.bootstrap-servers=" + kafka);
        features = ServiceJar.start(
                jar("feature-store"),
                "--sextant.features.offline.path=" + offline.resolve("offline"),
                "--sextant.features.offline.training-sets-path=" + offline.resolve("training-sets"),
                "--sextant.features.stream.enabled=false");
        // The orchestrator creates labels.v1 (brokers here do not auto-create topics).
        orchestratorDirectory = Files.createTempDirectory("training-orchestrator");
        orchestrator = startOrchestrator();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka, "linger.ms", 20, "max.block.ms", 10_000),
                new StringSerializer(),
                new StringSerializer())) {
            for (String label : labels) {
                EventContracts.assertConforms("labels.v1", label);
                String id = JSON.readTree(label).get("event_id").asString();
                producer.send(new ProducerRecord<>("labels.v1", id, label));
            }
            producer.send(new ProducerRecord<>("labels.v1", "broken", "{\"event_id\": \"broken\"}"));
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> get("/api/v1/training/labels").path("labels").longValue() == EVENTS);
    }

    static ServiceJar startOrchestrator() throws Exception {
        return ServiceJar.start(
                jar("training-orchestrator"),
                orchestratorDirectory,
                "--spring.kafka.bootstrap-servers=" + KafkaBroker.shared().bootstrapServers(),
                "--sextant.training.registry-url=" + registry.url(),
                "--sextant.training.feature-store-url=" + features.url(),
                "--sextant.training.jobs.poll-interval=100ms",
                "--sextant.training.jobs.heartbeat-interval=1s",
                "--sextant.training.retrain.debounce=3s",
                "--sextant.training.retrain.cooldown=1h",
                "--sextant.training.defaults.max-artifact-size=2MB");
    }

    @AfterAll
    static void stopThePlatform() throws InterruptedException {
        for (ServiceJar service : new ServiceJar[] {orchestrator, features, registry}) {
            if (service != null) {
                service.close();
            }
        }
    }

    @Test
    void refusesJobsThatCannotRunWithProblemsNamingTheField() throws Exception {
        JsonNode jobsBefore = get("/api/v1/training/jobs").path("jobs");
        assertProblem(
                post("/api/v1/training/jobs", "{\"model\": \"" + MODEL + "\", \"trainer\": \"svm\"}", null),
                400,
                "trainer 'svm' is unknown");
        assertProblem(
                post("/api/v1/training/jobs", "{\"model\": \"m\", \"features\": [{\"ref\": \"request:a\"}]}", null),
                400,
                "features[0].default is required");
        assertProblem(
                post(
                        "/api/v1/training/jobs",
                        "{\"model\": \"m\", \"features\": [{\"ref\":"
                                + " \"card_profile:home_country\", \"default\": 0}]}",
                        null),
                400,
                "is a STRING feature");
        assertProblem(
                post(
                        "/api/v1/training/jobs",
                        "{\"model\": \"m\", \"features\": [{\"ref\": \"nope:x\"," + " \"default\": 0}]}",
                        null),
                400,
                "features[0].ref");
        assertProblem(
                post(
                        "/api/v1/training/jobs",
                        "{\"model\": \"" + MODEL + "\", \"data_from\": \"" + END + "\", \"data_to\": \"" + START
                                + "\"}",
                        null),
                400,
                "must be before data_to");
        assertProblem(post("/api/v1/training/jobs", "{\"model\": \"Bad Name\"}", null), 400, "model must be");
        assertProblem(post("/api/v1/training/jobs", "{not json", null), 400, "request body");
        assertProblem(
                post(
                        "/api/v1/training/jobs",
                        "{\"model\": \"" + MODEL + "\", \"hyperparameters\":" + " {\"depth\": 3}}",
                        null),
                400,
                "hyperparameters.depth is not a setting");
        // Each was accepted: a job of a billion epochs or a million factors, or a gate that passes a worse model.
        for (String[] refused : new String[][] {
            {
                "\"trainer\": \"logistic_regression\", \"hyperparameters\": {\"epochs\": 1e9}",
                "hyperparameters.epochs must be an integer from 1 to 1000, got 1.0E9"
            },
            {
                "\"trainer\": \"logistic_regression\", \"hyperparameters\": {\"epochs\": 2.5}",
                "hyperparameters.epochs must be an integer from 1 to 1000, got 2.5"
            },
            {
                "\"trainer\": \"factorization_machine\", \"hyperparameters\": {\"factors\": 1000000}",
                "hyperparameters.factors must be an integer from 1 to 256"
            },
            {"\"hyperparameters\": {\"max_depth\": 100}", "hyperparameters.max_depth must be an integer from 1 to 16"},
            {"\"hyperparameters\": {\"subsample\": 0}", "hyperparameters.subsample must be a number from 0.05 to 1"},
            {"\"hyperparameters\": {\"epochs\": 3}", "hyperparameters.epochs is not a setting of xgboost"},
            {"\"alternatives\": [{\"trainer\": \"svm\"}]", "alternatives[0].trainer 'svm' is unknown"},
            {
                "\"alternatives\": [{\"trainer\": \"logistic_regression\", \"hyperparameters\": {\"max_depth\": 3}}]",
                "alternatives[0].hyperparameters.max_depth is not a setting of logistic_regression"
            },
            {
                "\"alternatives\": [" + "{\"trainer\": \"logistic_regression\"},".repeat(4)
                        + "{\"trainer\": \"xgboost\"}]",
                "at most 4 train in one job"
            },
            {"\"gate\": {\"min_improvement\": -1}", "gate.min_improvement must be a number from 0 to 1, got -1.0"}
        }) {
            assertProblem(
                    post("/api/v1/training/jobs", "{\"model\": \"" + MODEL + "\", " + refused[0] + "}", null),
                    400,
                    refused[1]);
        }
        assertProblem(
                send("GET", "/api/v1/training/jobs/00000000-0000-0000-0000-000000000000", null, null),
                404,
                "no training job");
        assertProblem(send("GET", "/api/v1/training/jobs/x", null, null), 400, "must be a UUID");
        HttpRequest longActor = HttpRequest.newBuilder(URI.create(orchestrator.url() + "/api/v1/training/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + MODEL + "\"}"))
                .header("Content-Type", "application/json")
                .header("X-Sextant-Actor", "a".repeat(201))
                .build();
        assertProblem(
                HTTP.send(longActor, HttpResponse.BodyHandlers.ofString()),
                400,
                "header X-Sextant-Actor must be 1-200 printable characters");
        // Nothing refused became a job.
        assertThat(get("/api/v1/training/jobs").path("jobs")).hasSameSizeAs(jobsBefore);
    }

    @Test
    void trainsAndRegistersAChallengerWithMetricsLineageBindingAndReferenceDistributions() throws Exception {
        String body = "{\"model\": \"" + MODEL + "\", \"features\": " + GOOD_FEATURES + ", \"data_from\": \"" + START
                + "\", \"data_to\": \"" + END + "\", \"segment_by\": \"card_profile:home_country\","
                + " \"reason\": \"first model\"}";
        HttpResponse<String> created = post("/api/v1/training/jobs", body, "first-model");
        assertThat(created.statusCode()).isEqualTo(201);
        goodJob = JSON.readTree(created.body()).get("id").asString();
        HttpResponse<String> repeated = post("/api/v1/training/jobs", body, "first-model");
        assertThat(repeated.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(repeated.body()).get("id").asString()).isEqualTo(goodJob);
        HttpResponse<String> second = post("/api/v1/training/jobs", body, null);
        assertProblem(second, 409, "has an active training job");
        assertThat(JSON.readTree(second.body()).get("job_id").asString()).isEqualTo(goodJob);

        JsonNode job = awaitEnd(goodJob);
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("REGISTERED");
        // The model's next version (the retrain requests' job may have registered one before).
        int registered = job.get("registered_version").intValue();
        assertThat(job.path("metrics").get("roc_auc").doubleValue()).isGreaterThan(0.7);
        assertThat(job.path("metrics").get("onnx_max_abs_difference").doubleValue())
                .isLessThanOrEqualTo(1e-5);

        JsonNode report = get("/api/v1/training/jobs/" + goodJob + "/report");
        assertThat(report.path("dataset").get("rows").intValue()).isEqualTo(EVENTS);
        assertThat(report.path("dataset")
                        .get("training_rows_after_downsampling")
                        .intValue())
                .isLessThan(report.path("dataset").get("training_rows").intValue());
        assertThat(report.path("dataset").get("test_starts_at").asString())
                .isGreaterThan(
                        report.path("dataset").get("validation_starts_at").asString());
        assertThat(report.path("segments").propertyNames()).contains("FR", "DE", "ES", "IT");
        assertThat(report.path("gate").get("passed").booleanValue()).isTrue();
        for (String metric : List.of("roc_auc", "pr_auc", "log_loss", "calibration_error", "precision", "recall")) {
            assertThat(report.path("candidate").has(metric)).as(metric).isTrue();
        }
        // The recipe's trainers, both trained on the same rows and reported; the best on validation is the candidate.
        JsonNode candidates = report.path("candidates");
        assertThat(candidates).hasSize(2);
        assertThat(candidates.get(0).get("trainer").asString()).isEqualTo("xgboost");
        assertThat(candidates.get(1).get("trainer").asString()).isEqualTo("logistic_regression");
        JsonNode trees = candidates.get(0);
        JsonNode linear = candidates.get(1);
        for (JsonNode candidate : candidates) {
            assertThat(candidate.path("validation").has("pr_auc")).isTrue();
            assertThat(candidate.path("test").has("roc_auc")).isTrue();
            assertThat(candidate.get("onnx_max_abs_difference").doubleValue()).isLessThanOrEqualTo(1e-5);
        }
        assertThat(trees.get("model").asString())
                .contains("trees of depth up to")
                .contains("XGBoost 3.4.0");
        assertThat(trees.get("chosen").booleanValue())
                .isEqualTo(trees.path("validation").get("pr_auc").doubleValue()
                        >= linear.path("validation").get("pr_auc").doubleValue());
        assertThat(trees.get("chosen").booleanValue())
                .isNotEqualTo(linear.get("chosen").booleanValue());
        assertThat(report.path("trainer").get("name").asString()).isEqualTo("xgboost");
        assertThat(get("/api/v1/training/jobs/" + goodJob + "/logs")
                        .path("lines")
                        .toString())
                .contains("probe rows (values on split thresholds, missing values)")
                .contains("xgboost is the candidate: best validation pr_auc");

        JsonNode version = getFrom(registry, "/api/v1/models/" + MODEL + "/versions/" + registered);
        assertThat(version.path("signature").path("inputs").get(0).path("shape").toString())
                .isEqualTo("[-1,5]");
        assertThat(version.path("signature").path("outputs").get(0).get("name").asString())
                .isEqualTo("probability");
        assertThat(version.path("features").get(1).get("ref").asString()).isEqualTo("merchant_profile:risk_score");
        assertThat(version.path("features").get(1).get("default").doubleValue()).isEqualTo(0.5);
        assertThat(version.path("lineage").get("training_job_id").asString()).isEqualTo(goodJob);
        assertThat(version.path("tags").get("trainer").asString()).isEqualTo("xgboost");
        // XGBoost's own model is kept beside the ONNX artifact, byte for byte, with its digest in the lineage.
        JsonNode nativeModel = version.path("lineage").path("native_model");
        assertThat(nativeModel.get("format").asString()).isEqualTo("xgboost-json");
        HttpResponse<byte[]> booster = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                registry.url() + "/api/v1/models/" + MODEL + "/versions/" + registered + "/native"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(booster.statusCode()).isEqualTo(200);
        assertThat(java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(booster.body())))
                .isEqualTo(nativeModel.get("sha256").asString());
        assertThat(JSON.readTree(booster.body())
                        .path("learner")
                        .path("objective")
                        .get("name")
                        .asString())
                .isEqualTo("binary:logistic");
        assertThat(version.path("lineage").get("dataset_fingerprint").asString())
                .startsWith("sha256:");
        assertThat(Instant.parse(version.path("lineage").get("data_from").asString()))
                .isEqualTo(START);
        assertThat(version.path("metrics").get("roc_auc").doubleValue()).isGreaterThan(0.7);
        JsonNode reference = version.path("reference_distributions");
        assertThat(reference.get("format").asString()).isEqualTo("sextant.reference.v1");
        assertThat(reference.path("features").propertyNames()).hasSize(5);
        assertThat(reference.path("features").path("request:amount").path("percentiles"))
                .hasSize(101);
        assertThat(reference
                        .path("features")
                        .path("card_profile:is_premium")
                        .path("frequencies")
                        .propertyNames())
                .containsExactly("0.0", "1.0");
        assertThat(reference.path("score").path("quantiles").get("p50").doubleValue())
                .isBetween(0.0, 1.0);
        assertThat(getFrom(registry, "/api/v1/models/" + MODEL + "/aliases/challenger")
                        .get("version")
                        .intValue())
                .isEqualTo(registered);
    }

    @Test
    void rejectsACandidateWorseThanTheChampionWithTheEvidence() throws Exception {
        // A model of its own: a champion trained on the good features, then a candidate on one that carries little.
        String champion = "{\"model\": \"" + GATED_MODEL + "\", \"trainer\": \"logistic_regression\", \"features\": "
                + GOOD_FEATURES + ", \"data_from\": \"" + START + "\", \"data_to\": \"" + END + "\","
                + " \"gate\": {\"floors\": {}}}";
        JsonNode first = awaitEnd(
                JSON.readTree(post("/api/v1/training/jobs", champion, null).body())
                        .get("id")
                        .asString());
        assertThat(first.get("state").asString()).as(first.toString()).isEqualTo("REGISTERED");
        HttpResponse<String> promoted = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(registry.url() + "/api/v1/models/" + GATED_MODEL + "/aliases/champion"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": 1}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(promoted.statusCode()).isEqualTo(200);

        String body = "{\"model\": \"" + GATED_MODEL + "\", \"trainer\": \"logistic_regression\", \"features\":"
                + " [{\"ref\": \"card_profile:is_premium\", \"default\": 0}], \"data_from\": \"" + START + "\","
                + " \"data_to\": \"" + END + "\", \"gate\": {\"floors\": {}}}";
        String id = JSON.readTree(post("/api/v1/training/jobs", body, null).body())
                .get("id")
                .asString();
        JsonNode job = awaitEnd(id);
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("REJECTED");
        assertThat(job.has("registered_version")).isFalse();
        JsonNode report = get("/api/v1/training/jobs/" + id + "/report");
        assertThat(report.path("champion").get("version").intValue()).isEqualTo(1);
        assertThat(report.path("champion").path("metrics").get("pr_auc").doubleValue())
                .isGreaterThan(report.path("candidate").get("pr_auc").doubleValue());
        assertThat(report.path("gate").get("passed").booleanValue()).isFalse();
        assertThat(report.path("gate").path("reasons").toString())
                .contains("pr_auc candidate")
                .contains("NOT met");
        assertThat(getFrom(registry, "/api/v1/models/" + GATED_MODEL)
                        .get("latest_version")
                        .intValue())
                .isEqualTo(1);
    }

    @Test
    void aModelLargerThanTheArtifactLimitFailsItsJobByNameAndRegistersNothing() throws Exception {
        String model = "fraud-detector-large";
        String body = "{\"model\": \"" + model + "\", \"trainer\": \"xgboost\", \"features\": " + GOOD_FEATURES
                + ", \"data_from\": \"" + START + "\", \"data_to\": \"" + END + "\", \"hyperparameters\":"
                + " {\"num_boost_round\": 300, \"max_depth\": 12, \"min_child_weight\": 0,"
                + " \"early_stopping_rounds\": 0}, \"gate\": {\"floors\": {}}}";
        String id = JSON.readTree(post("/api/v1/training/jobs", body, null).body())
                .get("id")
                .asString();

        JsonNode job = awaitEnd(id);

        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("FAILED");
        assertThat(job.get("error").asString())
                .contains("the xgboost model's ONNX form is")
                .contains("above the artifact limit of 2.1 MB (sextant.training.defaults.max-artifact-size");
        assertThat(HTTP.send(
                                HttpRequest.newBuilder(URI.create(registry.url() + "/api/v1/models/" + model))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void resumesAJobWhoseOrchestratorWasKilledMidRun() throws Exception {
        // A model of its own, without a champion: the gate has only its (empty) floors to check.
        String body = "{\"model\": \"" + RESUMED_MODEL + "\", \"trainer\": \"factorization_machine\", \"features\": "
                + GOOD_FEATURES + ", \"data_from\": \"" + START + "\", \"data_to\": \"" + END + "\","
                + " \"gate\": {\"floors\": {}}}";
        String id = JSON.readTree(post("/api/v1/training/jobs", body, null).body())
                .get("id")
                .asString();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Set.of("BUILDING_DATASET", "TRAINING", "EVALUATING")
                        .contains(
                                get("/api/v1/training/jobs/" + id).get("state").asString()));
        orchestrator.kill();
        orchestrator = startOrchestrator();

        JsonNode job = awaitEnd(id);
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("REGISTERED");
        assertThat(job.get("attempt").intValue()).isEqualTo(2);
        assertThat(get("/api/v1/training/jobs/" + id + "/logs").path("lines").toString())
                .contains("resuming from the start");
        JsonNode versions =
                getFrom(registry, "/api/v1/models/" + RESUMED_MODEL + "/versions?tag=training_job_id=" + id);
        assertThat(versions.path("versions")).hasSize(1);
    }

    @Test
    void startsExactlyOneJobFromABurstOfRetrainRequests() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", KafkaBroker.shared().bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 25; i++) {
                String request = "{\"model\": \"" + MODEL + "\","
                        + " \"reason\": \"drift on merchant_profile:risk_score\", \"evidence\": {\"psi\": 0.3" + i
                        + "}, \"time\": \"" + Instant.now() + "\", \"idempotency_key\": \"alert-" + i + "\"}";
                EventContracts.assertConforms("retrain-requests.v1", request);
                producer.send(new ProducerRecord<>("retrain-requests.v1", MODEL, request));
            }
            producer.send(new ProducerRecord<>("retrain-requests.v1", MODEL, "{\"reason\": \"no model\"}"));
        }
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    JsonNode jobs = get("/api/v1/training/jobs?model=" + MODEL).path("jobs");
                    for (JsonNode job : jobs) {
                        if (job.get("trigger").asString().equals("retrain_request")
                                && Set.of("REGISTERED", "REJECTED", "FAILED")
                                        .contains(job.get("state").asString())) {
                            return true;
                        }
                    }
                    return false;
                });
        List<JsonNode> retrainJobs = new ArrayList<>();
        for (JsonNode job : get("/api/v1/training/jobs?model=" + MODEL).path("jobs")) {
            if (job.get("trigger").asString().equals("retrain_request")) {
                retrainJobs.add(job);
            }
        }
        assertThat(retrainJobs).hasSize(1);
        JsonNode job = retrainJobs.get(0);
        assertThat(job.get("state").asString()).as(job.toString()).isIn("REGISTERED", "REJECTED");
        assertThat(job.get("idempotency_key").asString()).isEqualTo("alert-0");
        assertThat(get("/api/v1/training/jobs/" + job.get("id").asString() + "/logs")
                        .path("lines")
                        .toString())
                .contains("retrain request alert-24 joined this job");
    }

    static JsonNode awaitEnd(String id) {
        return await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> get("/api/v1/training/jobs/" + id), job -> Set.of(
                                "REGISTERED", "REJECTED", "FAILED", "CANCELLED")
                        .contains(job.get("state").asString()));
    }

    static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains(detail);
    }

    static HttpResponse<String> post(String path, String body, String idempotencyKey) throws Exception {
        return send("POST", path, body, idempotencyKey);
    }

    static HttpResponse<String> send(String method, String path, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(orchestrator.url() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode get(String path) throws Exception {
        return getFrom(orchestrator, path);
    }

    static JsonNode getFrom(ServiceJar service, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(service.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static Path jar(String service) {
        return Path.of("../" + service + "/target/" + service + ".jar")
                .toAbsolutePath()
                .normalize();
    }
}
