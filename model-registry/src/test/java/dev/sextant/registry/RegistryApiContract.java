package dev.sextant.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.OnnxModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry's HTTP contract, run against a real Kafka broker and each metadata database (subclasses).
 * Every test uses its own model names, so tests share one application context.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sextant.registry.max-artifact-size=256KB", "sextant.registry.events.relay-interval=100ms"})
@AutoConfigureRestTestClient
abstract class RegistryApiContract {

    private static String uniqueName(String prefix) {
        return RegistryTestClient.uniqueName(prefix);
    }

    private static String sha256(byte[] bytes) {
        return RegistryTestClient.sha256(bytes);
    }

    static final byte[] MODEL_A = OnnxModels.logisticRegression(new float[] {0.5f, -1f, 2f}, 0.1f);
    static final byte[] MODEL_B = OnnxModels.logisticRegression(new float[] {0.7f, -1f, 2f}, 0.2f);

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    @Autowired
    RegistryProperties properties;

    @LocalServerPort
    int port;

    @Test
    void registeringAVersionAnswersTheDesignContract() {
        String name = uniqueName("fraud");
        JsonNode version = register(name, MODEL_A, null);

        assertThat(version.get("name").asString()).isEqualTo(name);
        assertThat(version.get("version").asInt()).isEqualTo(1);
        assertThat(version.get("sha256").asString()).isEqualTo(sha256(MODEL_A));
        JsonNode input = version.at("/signature/inputs/0");
        assertThat(input.get("name").asString()).isEqualTo("features");
        assertThat(input.get("datatype").asString()).isEqualTo("FP32");
        assertThat(input.get("shape").toString()).isEqualTo("[-1,3]");
        JsonNode output = version.at("/signature/outputs/0");
        assertThat(output.get("name").asString()).isEqualTo("probability");
        assertThat(output.get("shape").toString()).isEqualTo("[-1,1]");

        http.get()
                .uri("/api/v1/models/{name}/versions/1", name)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.sha256")
                .isEqualTo(sha256(MODEL_A));
    }

    @Test
    void aNativeModelIsKeptBesideTheArtifactAsLineage() {
        String name = uniqueName("native");
        byte[] booster = "{\"learner\": {\"objective\": {\"name\": \"binary:logistic\"}}}".getBytes();
        String metadata =
                "{\"lineage\": {\"training_job_id\": \"job-1\", \"native_model\": {\"format\": \"xgboost-json\"}}}";

        JsonNode version = json.readTree(client().upload(name, MODEL_A, metadata, booster)
                .expectStatus()
                .isCreated()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());

        JsonNode nativeModel = version.at("/lineage/native_model");
        assertThat(nativeModel.get("format").asString()).isEqualTo("xgboost-json");
        assertThat(nativeModel.get("sha256").asString()).isEqualTo(sha256(booster));
        assertThat(nativeModel.get("size_bytes").asLong()).isEqualTo(booster.length);
        assertThat(version.at("/lineage/training_job_id").asString()).isEqualTo("job-1");
        byte[] downloaded = http.get()
                .uri("/api/v1/models/{name}/versions/1/native", name)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ETAG, "\"" + sha256(booster) + "\"")
                .expectHeader()
                .valueEquals(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "-1.xgboost-json\"")
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();
        assertThat(downloaded).isEqualTo(booster);
        assertThat(getJson("/api/v1/models/" + name + "/versions/1")
                        .at("/lineage/native_model/sha256")
                        .asString())
                .isEqualTo(sha256(booster));

        register(name, MODEL_B, null);
        expectProblem(
                http.get().uri("/api/v1/models/{name}/versions/2/native", name).exchange(),
                404,
                "version 2 was registered without a native model");
    }

    @Test
    void aNativeModelWithoutItsFormatOrAFormatWithoutItIsRefusedAndNothingIsRegistered() {
        String name = uniqueName("native-bad");
        byte[] booster = "{}".getBytes();
        String format = "{\"lineage\": {\"native_model\": {\"format\": \"xgboost-json\"}}}";
        expectProblem(
                client().upload(name, MODEL_A, null, booster),
                400,
                "needs its format in metadata.lineage.native_model");
        expectProblem(client().upload(name, MODEL_A, format, null), 400, "part 'native' is missing");
        expectProblem(client().upload(name, MODEL_A, format, new byte[0]), 400, "part 'native' is empty");
        expectProblem(
                client().upload(
                                name,
                                MODEL_A,
                                "{\"lineage\": {\"native_model\": {\"format\": \"XGB JSON\"}}}",
                                booster),
                400,
                "metadata.lineage.native_model.format");
        expectProblem(
                client().upload(
                                name,
                                MODEL_A,
                                "{\"lineage\": {\"native_model\": {\"format\": \"xgboost-json\", \"sha256\": \"abc\"}}}",
                                booster),
                400,
                "set by the registry");
        http.get().uri("/api/v1/models/{name}", name).exchange().expectStatus().isNotFound();
    }

    @Test
    void versionsAreNumberedPerModelAndArtifactsDownloadByteForByte() {
        String name = uniqueName("numbered");
        register(name, MODEL_A, null);
        JsonNode second = register(name, MODEL_B, null);
        assertThat(second.get("version").asInt()).isEqualTo(2);
        assertThat(register(uniqueName("other"), MODEL_A, null).get("version").asInt())
                .isEqualTo(1);

        byte[] first = http.get()
                .uri("/api/v1/models/{name}/versions/1/artifact", name)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ETAG, "\"" + sha256(MODEL_A) + "\"")
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();
        assertThat(first).isEqualTo(MODEL_A);

        http.get()
                .uri("/api/v1/models/{name}/versions/1/artifact", name)
                .header(HttpHeaders.IF_NONE_MATCH, "\"" + sha256(MODEL_A) + "\"")
                .exchange()
                .expectStatus()
                .isNotModified();

        http.get()
                .uri("/api/v1/models/{name}", name)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.latest_version")
                .isEqualTo(2);
    }

    @Test
    void metadataIsStoredAndSearchable() {
        String name = uniqueName("meta");
        String metadata =
                """
                {"description": "card fraud, logistic regression",
                 "tags": {"team": "risk", "stage": "candidate"},
                 "metrics": {"roc_auc": 0.91, "log_loss": 0.21},
                 "lineage": {"training_job_id": "job-42", "dataset_fingerprint": "sha256:abc",
                             "code_version": "1a2b3c", "data_from": "2026-01-01T00:00:00Z",
                             "data_to": "2026-02-01T00:00:00Z"},
                 "features": [{"ref": "card_stats:txn_count_1h", "default": 0},
                              {"ref": "merchant_stats:risk", "default": 0.5},
                              {"ref": "request:amount", "default": null}],
                 "reference_distributions": {"card_stats:txn_count_1h": {"type": "histogram",
                                             "edges": [0, 1, 5], "counts": [10, 3]}}}
                """;
        JsonNode version = register(name, MODEL_A, metadata);
        assertThat(version.get("description").asString()).isEqualTo("card fraud, logistic regression");
        assertThat(version.at("/tags/team").asString()).isEqualTo("risk");
        assertThat(version.at("/metrics/roc_auc").asDouble()).isEqualTo(0.91);
        assertThat(version.at("/lineage/training_job_id").asString()).isEqualTo("job-42");
        assertThat(version.at("/features/1/ref").asString()).isEqualTo("merchant_stats:risk");
        assertThat(version.at("/features/1/default").asDouble()).isEqualTo(0.5);
        assertThat(version.at("/reference_distributions/card_stats:txn_count_1h/counts/0")
                        .asInt())
                .isEqualTo(10);
        register(name, MODEL_B, "{\"tags\": {\"team\": \"growth\"}}");

        JsonNode byTag = getJson("/api/v1/models/" + name + "/versions?tag=team=risk");
        assertThat(byTag.get("versions")).hasSize(1);
        assertThat(byTag.at("/versions/0/version").asInt()).isEqualTo(1);
        assertThat(byTag.at("/versions/0/tags/stage").asString()).isEqualTo("candidate");
        assertThat(byTag.at("/versions/0/features/2/ref").asString()).isEqualTo("request:amount");
        assertThat(byTag.at("/versions/0").has("reference_distributions")).isFalse();
        assertThat(getJson("/api/v1/models/" + name + "/versions?tag=team").get("versions"))
                .hasSize(2);

        JsonNode search = getJson("/api/v1/models?name=" + name.substring(0, 12) + "&tag=stage=candidate");
        assertThat(search.get("models"))
                .extracting(model -> model.get("name").asString())
                .containsExactly(name);
        assertThat(getJson("/api/v1/models?name=" + name + "&tag=stage=released")
                        .get("models"))
                .isEmpty();
    }

    @Test
    void aliasesMoveAtomicallyAndKeepTheirHistory() {
        String name = uniqueName("aliased");
        register(name, MODEL_A, null);
        register(name, MODEL_B, null);

        setAlias(name, "champion", 1, "alice")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(1);
        setAlias(name, "champion", 2, "bob")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(2)
                .jsonPath("$.previous_version")
                .isEqualTo(1)
                .jsonPath("$.model_version.sha256")
                .isEqualTo(sha256(MODEL_B));

        http.get()
                .uri("/api/v1/models/{name}/aliases/champion", name)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(2)
                .jsonPath("$.updated_by")
                .isEqualTo("bob");
        byte[] artifact = http.get()
                .uri("/api/v1/models/{name}/aliases/champion/artifact", name)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();
        assertThat(artifact).isEqualTo(MODEL_B);
        JsonNode withAlias =
                getJson("/api/v1/models?alias=champion&name=" + name).get("models");
        assertThat(withAlias).hasSize(1);
        assertThat(withAlias.at("/0/aliases/champion").asInt()).isEqualTo(2);
        JsonNode versions = getJson("/api/v1/models/" + name + "/versions").get("versions");
        assertThat(versions.at("/0/aliases").toString()).isEqualTo("[\"champion\"]");
        assertThat(versions.at("/1/aliases").toString()).isEqualTo("[]");

        // An actor header that names no valid actor is refused by name, and changes nothing.
        http.delete()
                .uri("/api/v1/models/{name}/aliases/champion?reason=rollback drill", name)
                .header("X-Sextant-Actor", "c".repeat(201))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail)
                        .contains("header X-Sextant-Actor must be 1-200 printable characters"));
        http.delete()
                .uri("/api/v1/models/{name}/aliases/champion?reason=rollback drill", name)
                .header("X-Sextant-Actor", "carol")
                .exchange()
                .expectStatus()
                .isNoContent();
        http.get()
                .uri("/api/v1/models/{name}/aliases/champion", name)
                .exchange()
                .expectStatus()
                .isNotFound();

        JsonNode history =
                getJson("/api/v1/models/" + name + "/aliases/champion/history").get("history");
        assertThat(history).hasSize(3);
        assertThat(history.get(0).get("from_version").asInt()).isEqualTo(2);
        assertThat(history.get(0).has("to_version")).isFalse();
        assertThat(history.get(0).get("changed_by").asString()).isEqualTo("carol");
        assertThat(history.get(0).get("reason").asString()).isEqualTo("rollback drill");
        assertThat(history.get(1).get("from_version").asInt()).isEqualTo(1);
        assertThat(history.get(1).get("to_version").asInt()).isEqualTo(2);
        assertThat(history.get(2).has("from_version")).isFalse();
        assertThat(history.get(2).get("changed_by").asString()).isEqualTo("alice");
    }

    @Test
    void settingAnAliasToTheVersionItAlreadyHasChangesNothing() {
        String name = uniqueName("idempotent");
        register(name, MODEL_A, null);
        setAlias(name, "champion", 1, "alice").expectStatus().isOk();
        setAlias(name, "champion", 1, "alice").expectStatus().isOk();
        assertThat(getJson("/api/v1/models/" + name + "/aliases/champion/history")
                        .get("history"))
                .hasSize(1);
    }

    @Test
    void badInputIsA4xxProblemThatNamesTheProblemAndChangesNothing() throws IOException {
        String name = uniqueName("guarded");
        register(name, MODEL_A, null);
        List<Path> filesBefore = storedFiles();

        expectProblem(upload("UPPER", MODEL_A, null), 400, "invalid model name 'UPPER'");
        expectProblem(upload("a".repeat(64), MODEL_A, null), 400, "invalid model name");
        expectProblem(upload("..x", MODEL_A, null), 400, "invalid model name '..x'");
        expectProblem(upload("-x", MODEL_A, null), 400, "invalid model name '-x'");
        assertThat(expectProblem(upload(name, "not an onnx model".getBytes(), null), 400, "not an ONNX model"))
                .doesNotContain(properties.dataDir().toString());
        byte[] corrupt = MODEL_A.clone();
        for (int i = 10; i < corrupt.length; i += 7) {
            corrupt[i] = (byte) 0xFF;
        }
        expectProblem(upload(name, corrupt, null), 400, "part 'file' is rejected");
        expectProblem(upload(name, new byte[0], null), 400, "empty");
        expectProblem(upload(name, MODEL_B, "{not json"), 400, "metadata");
        expectProblem(upload(name, MODEL_B, "{\"tagz\": {}}"), 400, "tagz");
        expectProblem(upload(name, MODEL_B, "{\"metrics\": {\"auc\": \"high\"}}"), 400, "metadata.metrics");
        expectProblem(
                upload(name, MODEL_B, "{\"features\": [{\"ref\": \"no_colon\"}]}"), 400, "metadata.features[0].ref");
        expectProblem(
                upload(name, MODEL_B, "{\"features\": [{\"ref\": \"a:b\"}, {\"ref\": \"a:c\"}]}"),
                400,
                "binds 2 features but input 'features' takes 3 columns");
        expectProblem(upload(name, new byte[300 * 1024], null), 413, "exceeds the limit");
        expectProblem(
                http.post()
                        .uri("/api/v1/models/{name}/versions", name)
                        .contentType(MediaType.MULTIPART_FORM_DATA)
                        .body(new LinkedMultiValueMap<String, Object>(Map.of("metadata", List.of("{}"))))
                        .exchange(),
                400,
                "file");

        expectProblem(setAlias(name, "champion", 7, "eve"), 422, "versions 1 to 1 only");
        expectProblem(setAlias(uniqueName("missing"), "champion", 1, "eve"), 404, "does not exist");
        expectProblem(setAlias(name, "Champion", 1, "eve"), 400, "invalid alias 'Champion'");
        expectProblem(
                http.put()
                        .uri("/api/v1/models/{name}/aliases/champion", name)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body("{\"version\": \"one\"}")
                        .exchange(),
                400,
                "request body.version is not valid");
        expectProblem(
                http.put()
                        .uri("/api/v1/models/{name}/aliases/champion", name)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body("{}")
                        .exchange(),
                400,
                "version");
        expectProblem(http.get().uri("/api/v1/models/{name}/versions/9", name).exchange(), 404, "no version 9");
        expectProblem(
                http.get().uri("/api/v1/models/{name}/versions/abc", name).exchange(), 400, "invalid version 'abc'");
        expectProblem(
                http.get().uri("/api/v1/models/{name}", uniqueName("unknown")).exchange(), 404, "does not exist");
        expectProblem(http.get().uri("/api/v1/models?limit=0").exchange(), 400, "limit");

        JsonNode model = getJson("/api/v1/models/" + name);
        assertThat(model.get("latest_version").asInt()).isEqualTo(1);
        assertThat(model.get("aliases").isEmpty()).isTrue();
        assertThat(getJson("/api/v1/models?name=UPPER").get("models")).isEmpty();
        assertThat(storedFiles()).isEqualTo(filesBefore);
    }

    @Test
    void encodedPathTricksAreProblemsThatNameTheRule() throws Exception {
        HttpClient raw = HttpClient.newHttpClient();
        HttpResponse<String> traversal = raw.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/models/..%2Fx/versions/1"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(traversal.statusCode()).isEqualTo(400);
        assertThat(traversal.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(traversal.body()).get("detail").asString()).startsWith("invalid model name '../x'");

        HttpResponse<String> nul = raw.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/models/x%00"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(nul.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(nul.body()).get("detail").asString()).isEqualTo("Invalid URI");
    }

    @Test
    void concurrentUploadsOfOneModelGetDistinctVersions() throws Exception {
        String name = uniqueName("contended");
        int uploads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(uploads);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                byte[] model = OnnxModels.logisticRegression(new float[] {i, 1f, 2f}, 0f);
                tasks.add(() -> register(name, model, null).get("version").asInt());
            }
            List<Integer> versions = new ArrayList<>();
            for (Future<Integer> future : pool.invokeAll(tasks)) {
                versions.add(future.get());
            }
            assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        } finally {
            pool.shutdownNow();
        }
        assertThat(getJson("/api/v1/models/" + name + "/versions").get("versions"))
                .hasSize(uploads);
    }

    @Test
    void everyRegistrationAndAliasChangeIsPublishedToModelEventsInOrder() {
        String name = uniqueName("evented");
        register(name, MODEL_A, null);
        register(name, MODEL_B, null);
        setAlias(name, "champion", 1, "alice").expectStatus().isOk();
        setAlias(name, "champion", 2, "bob").expectStatus().isOk();
        http.delete()
                .uri("/api/v1/models/{name}/aliases/champion", name)
                .exchange()
                .expectStatus()
                .isNoContent();

        List<JsonNode> events = client().consumeEvents(KafkaBroker.shared().bootstrapServers(), name, 5);
        assertThat(events)
                .extracting(event -> event.get("type").asString())
                .containsExactly("VERSION_REGISTERED", "VERSION_REGISTERED", "ALIAS_SET", "ALIAS_SET", "ALIAS_DELETED");
        assertThat(events.get(0).get("sha256").asString()).isEqualTo(sha256(MODEL_A));
        assertThat(events.get(3).get("version").asInt()).isEqualTo(2);
        assertThat(events.get(3).get("previous_version").asInt()).isEqualTo(1);
        assertThat(events.get(3).get("actor").asString()).isEqualTo("bob");
        assertThat(events.get(4).get("previous_version").asInt()).isEqualTo(2);
        assertThat(events).extracting(event -> event.get("event_id").asString()).doesNotHaveDuplicates();
    }

    @Test
    void actuatorAndOpenApiDescribeTheService() {
        http.get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP");
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        http.get()
                .uri("/actuator/info")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.build.artifact")
                .isEqualTo("model-registry");
        register(uniqueName("metered"), MODEL_A, null);
        String metrics = http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(metrics).contains("sextant_registry_versions_registered_total", "sextant_registry_events_pending");
        JsonNode api = getJson("/v3/api-docs");
        assertThat(api.get("paths").propertyNames())
                .contains(
                        "/api/v1/models",
                        "/api/v1/models/{name}/versions",
                        "/api/v1/models/{name}/versions/{version}",
                        "/api/v1/models/{name}/versions/{version}/artifact",
                        "/api/v1/models/{name}/versions/{version}/native",
                        "/api/v1/models/{name}/aliases/{alias}",
                        "/api/v1/models/{name}/aliases/{alias}/history");
    }

    private RegistryTestClient client() {
        return new RegistryTestClient(http, json);
    }

    private JsonNode register(String name, byte[] model, String metadata) {
        return client().register(name, model, metadata);
    }

    private RestTestClient.ResponseSpec upload(String name, byte[] model, String metadata) {
        return client().upload(name, model, metadata);
    }

    private RestTestClient.ResponseSpec setAlias(String name, String alias, int version, String actor) {
        return client().setAlias(name, alias, version, actor);
    }

    private JsonNode getJson(String uri) {
        return client().getJson(uri);
    }

    private String expectProblem(RestTestClient.ResponseSpec response, int status, String detailContains) {
        return client().expectProblem(response, status, detailContains);
    }

    private List<Path> storedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(properties.artifactDir())) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
