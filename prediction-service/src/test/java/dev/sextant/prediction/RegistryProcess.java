package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.localservers.Ports;
import dev.sextant.registry.client.rollout.Assignment;
import dev.sextant.testsupport.OnnxModels;
import dev.sextant.testsupport.ServiceJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The real model registry, its packaged jar run as a process (the reactor builds model-registry before this
 * module; {@code sextant.registry.jar} says where its jar is), and the calls the tests make to it.
 */
final class RegistryProcess implements AutoCloseable {

    private final Path jar;
    private final String[] arguments;
    private ServiceJar registry;
    private final HttpClient http = HttpClient.newHttpClient();

    private RegistryProcess(Path jar, String[] arguments, ServiceJar registry) {
        this.jar = jar;
        this.arguments = arguments;
        this.registry = registry;
    }

    /** A registry without Kafka: its events wait in its outbox. */
    static RegistryProcess start() throws Exception {
        return start("127.0.0.1:" + Ports.free());
    }

    /** A registry publishing its model events to this Kafka. */
    static RegistryProcess start(String kafkaBootstrapServers) throws Exception {
        Path jar = Path.of(System.getProperty("sextant.registry.jar", "../model-registry/target/model-registry.jar"))
                .normalize();
        String[] arguments = {"--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers};
        return new RegistryProcess(jar, arguments, ServiceJar.start(jar, arguments));
    }

    /**
     * Kills the registry at once ({@code kill -9}) and starts it again on what it left in its working directory
     * (its database and artifacts); it listens on another port.
     */
    void crashAndRestart() throws Exception {
        registry.kill();
        registry = ServiceJar.start(jar, registry.workingDirectory(), arguments);
    }

    /** The model's running or paused rollout, as JSON. */
    String activeRollout(String model) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(url() + "/api/v1/models/" + model + "/rollouts/active"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    String url() {
        return registry.url();
    }

    int register(String model, byte[] onnx) throws Exception {
        return register(model, onnx, null);
    }

    /** Registers a version with its metadata (a JSON object, e.g. its feature binding); answers its number. */
    int register(String model, byte[] onnx, String metadata) throws Exception {
        HttpResponse<String> created = http.send(
                ServiceJar.multipartFile(url() + "/api/v1/models/" + model + "/versions", "model.onnx", onnx, metadata),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Integer.parseInt(created.body().replaceAll(".*\"version\":(\\d+).*", "$1"));
    }

    void setAlias(String model, String alias, int version) throws Exception {
        HttpResponse<String> set = http.send(
                HttpRequest.newBuilder(URI.create(url() + "/api/v1/models/" + model + "/aliases/" + alias))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": " + version + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }

    /** How the rollout (the registry's JSON) assigns keys, as the registry client computes it. */
    static Assignment assignment(JsonNode rollout) {
        List<Assignment.Arm> arms = new ArrayList<>();
        rollout.get("arms")
                .forEach(arm -> arms.add(new Assignment.Arm(
                        arm.get("version").asInt(), arm.get("weight").asDouble())));
        return Assignment.of(rollout.get("salt").asString(), arms);
    }

    /** Two versions registered and a canary between them: the rollout as the registry answered it (JSON). */
    record Canary(int champion, int challenger, String rollout) {}

    /**
     * Registers two logistic regressions of two inputs as versions of the model, makes the first the champion and
     * starts a canary of the second keyed by {@code card_id}: 30 % of the cards, then 60 %.
     */
    Canary startCanary(String model) throws Exception {
        int champion = register(model, OnnxModels.logisticRegression(new float[] {1f, 2f}, 0f));
        int challenger = register(model, OnnxModels.logisticRegression(new float[] {2f, 1f}, 0f));
        setAlias(model, "champion", champion);
        String rollout = startRollout(
                model,
                """
                {"strategy": "canary", "challengers": [%d], "key": "card_id",
                 "steps": [{"weight": 30}, {"weight": 60}]}"""
                        .formatted(challenger));
        return new Canary(champion, challenger, rollout);
    }

    /** Starts a rollout of the model (a JSON body of the registry's rollout API); answers the rollout as JSON. */
    String startRollout(String model, String rollout) throws Exception {
        return post("/api/v1/models/" + model + "/rollouts", rollout, 201);
    }

    /** Applies an action to a rollout (a JSON body with its action and revision); answers the rollout as JSON. */
    String actOnRollout(String model, long id, String action) throws Exception {
        return post("/api/v1/models/" + model + "/rollouts/" + id + "/actions", action, 200);
    }

    private String post(String path, String body, int expected) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expected);
        return answer.body();
    }

    @Override
    public void close() throws InterruptedException {
        registry.close();
    }
}
