package dev.sextant.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.sextant.localservers.Ports;
import dev.sextant.registry.client.rollout.Rollout;
import dev.sextant.registry.client.rollout.RolloutAction;
import dev.sextant.testsupport.OnnxModels;
import dev.sextant.testsupport.ServiceJar;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** The client against the registry's packaged jar: every call the platform's services make, as they make it. */
class RegistryClientIT {

    private static final String ACTOR = "registry-client-it";

    private static ServiceJar registry;
    private static RegistryClient client;

    @BeforeAll
    static void startRegistry() throws Exception {
        Path jar = Path.of(System.getProperty("sextant.registry.jar", "../../model-registry/target/model-registry.jar"))
                .normalize();
        registry = ServiceJar.start(jar, "--spring.kafka.bootstrap-servers=127.0.0.1:" + Ports.free());
        client = RegistryClient.create(RestClient.builder(), connection(registry.url()));
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    private static RegistryConnection connection(String url) {
        return new RegistryConnection(URI.create(url), Duration.ofSeconds(2), Duration.ofSeconds(10), ACTOR);
    }

    @Test
    void registersAVersionWithItsMetadataAndNativeModelAndReadsItBack() throws Exception {
        byte[] onnx = OnnxModels.logisticRegression(new float[] {1f, 2f, 3f}, 0.5f);
        byte[] nativeModel = "{\"learner\": {}}".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> metadata = Map.of(
                "description", "three inputs",
                "tags", Map.of("training_job_id", "job-7"),
                "metrics", Map.of("roc_auc", 0.81),
                "lineage", Map.of("native_model", Map.of("format", "xgboost-json")),
                "features",
                        List.of(
                                Map.of("ref", "card:txn_count_1h", "default", 0.0),
                                Map.of("ref", "request:channel", "default", "web"),
                                Map.of("ref", "request:amount")));

        int version = client.register("fraud-it", onnx, nativeModel, metadata);

        ModelVersion described = client.version("fraud-it", version).orElseThrow();
        assertThat(described.sha256()).isEqualTo(sha256(onnx));
        assertThat(described.sizeBytes()).isEqualTo(onnx.length);
        assertThat(described.createdBy()).isEqualTo(ACTOR);
        assertThat(described.tags()).containsEntry("training_job_id", "job-7");
        assertThat(described.metrics()).containsEntry("roc_auc", 0.81);
        assertThat(described.lineage().path("native_model").path("sha256").asString())
                .isEqualTo(sha256(nativeModel));
        assertThat(described.features())
                .extracting(FeatureBinding::ref)
                .containsExactly("card:txn_count_1h", "request:channel", "request:amount");
        assertThat(described.features().get(0).numericDefault()).isEqualTo(0.0);
        assertThat(described.features().get(1).defaultValue().asString()).isEqualTo("web");
        assertThat(described.features().get(1).numericDefault()).isNull();
        assertThat(described.features().get(2).numericDefault()).isNull();
        assertThat(client.artifact("fraud-it", version)).isEqualTo(onnx);

        assertThat(client.taggedVersion("fraud-it", "training_job_id", "job-7"))
                .map(ModelVersion::version)
                .contains(version);
        assertThat(client.taggedVersion("fraud-it", "training_job_id", "job-8")).isEmpty();
        assertThat(client.taggedVersion("never-registered", "training_job_id", "job-7"))
                .isEmpty();
    }

    @Test
    void anUnknownModelVersionOrAliasIsEmpty() {
        assertThat(client.model("never-registered")).isEmpty();
        assertThat(client.version("never-registered", 1)).isEmpty();
        assertThat(client.alias("never-registered", "champion")).isEmpty();
        assertThat(client.activeRollout("never-registered")).isEmpty();
        int version =
                client.register("no-alias-it", OnnxModels.logisticRegression(new float[] {1f}, 0f), null, Map.of());
        assertThat(client.version("no-alias-it", version + 1)).isEmpty();
        assertThat(client.alias("no-alias-it", "champion")).isEmpty();
    }

    @Test
    void movesAnAliasAndReadsWhereItPoints() {
        int first = client.register("alias-it", OnnxModels.logisticRegression(new float[] {1f}, 0f), null, Map.of());
        int second = client.register("alias-it", OnnxModels.logisticRegression(new float[] {2f}, 0f), null, Map.of());

        client.setAlias("alias-it", "champion", first, "first");
        client.setAlias("alias-it", "champion", second, "better");

        AliasTarget champion = client.alias("alias-it", "champion").orElseThrow();
        assertThat(champion.version()).isEqualTo(second);
        assertThat(champion.updatedBy()).isEqualTo(ACTOR);
        assertThat(champion.modelVersion().version()).isEqualTo(second);
        RegisteredModel model = client.model("alias-it").orElseThrow();
        assertThat(model.latestVersion()).isEqualTo(second);
        assertThat(model.aliases()).containsExactly(Map.entry("champion", second));
    }

    @Test
    void listsEveryModelPageByPage() {
        RegistryClient smallPages = RegistryClient.create(RestClient.builder(), connection(registry.url()), 2);
        for (int i = 0; i < 5; i++) {
            client.register("paged-it-" + i, OnnxModels.logisticRegression(new float[] {1f}, 0f), null, Map.of());
        }

        assertThat(smallPages.models())
                .extracting(RegisteredModel::name)
                .contains("paged-it-0", "paged-it-1", "paged-it-2", "paged-it-3", "paged-it-4")
                .doesNotHaveDuplicates()
                .hasSameSizeAs(client.models());
    }

    @Test
    void readsARolloutWithItsSpecAndTakesActionsOnItsRevision() throws Exception {
        int champion =
                client.register("rollout-it", OnnxModels.logisticRegression(new float[] {1f, 2f}, 0f), null, Map.of());
        int challenger =
                client.register("rollout-it", OnnxModels.logisticRegression(new float[] {2f, 1f}, 0f), null, Map.of());
        client.setAlias("rollout-it", "champion", champion, "first");
        post(
                "/api/v1/models/rollout-it/rollouts",
                """
                {"strategy": "canary", "challengers": [%d], "key": "card_id",
                 "steps": [{"weight": 30, "min_requests": 100, "max_duration": "PT30M"}, {"weight": 60}],
                 "guards": {"max_latency_ratio": 1.5, "quality": {"metric": "roc_auc", "max_degradation": 0.02, "alpha": 0.05}}}"""
                        .formatted(challenger));

        Rollout rollout = client.activeRollout("rollout-it").orElseThrow();
        assertThat(rollout.running()).isTrue();
        assertThat(rollout.strategy()).isEqualTo("canary");
        assertThat(rollout.key()).isEqualTo("card_id");
        assertThat(rollout.step()).isZero();
        assertThat(rollout.arms())
                .containsExactly(
                        new Rollout.Arm(champion, "champion", 70), new Rollout.Arm(challenger, "challenger", 30));
        assertThat(rollout.spec().steps())
                .containsExactly(
                        new Rollout.Step(30.0, 100L, null, Duration.ofMinutes(30)),
                        new Rollout.Step(60.0, null, null, null));
        assertThat(rollout.spec().guards().maxLatencyRatio()).isEqualTo(1.5);
        assertThat(rollout.spec().guards().quality().metric()).isEqualTo("roc_auc");
        assertThat(rollout.history()).isNotEmpty();
        assertThat(rollout.assignment().version("card-1")).isIn(champion, challenger);

        RolloutAction advance = new RolloutAction(
                "advance", rollout.revision(), "enough evidence", null, null, Map.of("requests", 120));
        assertThat(client.act("rollout-it", rollout.id(), advance)).isTrue();
        assertThat(client.act("rollout-it", rollout.id(), advance))
                .as("the same action on a revision that has changed since")
                .isFalse();

        Rollout advanced = client.activeRollout("rollout-it").orElseThrow();
        assertThat(advanced.revision()).isEqualTo(rollout.revision() + 1);
        assertThat(advanced.step()).isEqualTo(1);
        assertThat(advanced.history().get(0).action()).isEqualTo("advance");
        assertThat(advanced.history().get(0).changedBy()).isEqualTo(ACTOR);
        assertThat(advanced.history().get(0).reason()).isEqualTo("enough evidence");
    }

    @Test
    void aRegistryThatCannotBeReachedOrDoesNotAnswerItsApiIsAClientException() throws Exception {
        RegistryClient nobody =
                RegistryClient.create(RestClient.builder(), connection("http://127.0.0.1:" + Ports.free()));
        assertThatThrownBy(nobody::models).isInstanceOf(RestClientException.class);

        HttpServer notTheRegistry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        notTheRegistry.createContext("/", exchange -> {
            byte[] body = "{\"models\": 7}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        notTheRegistry.start();
        try {
            RegistryClient other = RegistryClient.create(
                    RestClient.builder(),
                    connection("http://127.0.0.1:" + notTheRegistry.getAddress().getPort()));
            assertThatThrownBy(other::models)
                    .isInstanceOf(RestClientException.class)
                    .hasMessageContaining("model page");
        } finally {
            notTheRegistry.stop(0);
        }
    }

    private static void post(String path, String json) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(registry.url() + path))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
