package dev.sextant.training.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.sextant.examples.fraud.FraudHistory;
import dev.sextant.localservers.Ports;
import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.PostgresServer;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import dev.sextant.testsupport.WithPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code runner: kubernetes} end to end, with PostgreSQL as on Kubernetes. A stand-in for the Kubernetes API server
 * accepts the Job the orchestrator creates and does what the kubelet would: runs the Job's container arguments
 * with the orchestrator's jar as a separate process (the worker), with the environment its ConfigMap would give.
 * The worker trains the job to its end and exits 0.
 */
@WithKafka
@WithPostgres
class KubernetesJobsIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Instant START = Instant.now().minus(Duration.ofDays(15)).truncatedTo(ChronoUnit.DAYS);

    static final List<JsonNode> manifests = new CopyOnWriteArrayList<>();
    static final List<Process> workers = new CopyOnWriteArrayList<>();
    static HttpServer kubernetes;
    static ServiceJar registry;
    static ServiceJar features;
    static ServiceJar orchestrator;
    static List<String> environment;
    static Path workerLog;

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory("kubernetes-jobs");
        Path labels = data.resolve("labels");
        try (FraudHistory history = FraudHistory.draw(12_000, 1_000, 100, START, Duration.ofDays(14))) {
            history.writeOfflineStore(data.resolve("offline"));
            history.writeLabelArchive(labels);
        }
        String kafka = KafkaBroker.shared().bootstrapServers();
        registry = ServiceJar.start(jar("model-registry"), "--spring.kafka.bootstrap-servers=" + kafka);
        features = ServiceJar.start(
                jar("feature-store"),
                "--sextant.features.offline.path=" + data.resolve("offline"),
                "--sextant.features.offline.training-sets-path=" + data.resolve("training-sets"),
                "--sextant.features.stream.enabled=false");
        PostgresServer.Database database = PostgresServer.shared().createDatabase();
        // What the orchestrator's ConfigMap and Secret give both it and its workers.
        environment = List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--sextant.training.registry-url=" + registry.url(),
                "--sextant.training.feature-store-url=" + features.url(),
                "--sextant.training.labels.archive-path=" + labels);
        workerLog = data.resolve("worker.log");
        int port = Ports.free();
        kubernetes = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        kubernetes.createContext("/apis/batch/v1/namespaces/sextant/jobs", exchange -> {
            JsonNode manifest =
                    JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            manifests.add(manifest);
            runWorker(manifest);
            byte[] answer = JSON.writeValueAsBytes(manifest);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        kubernetes.start();
        List<String> arguments = new ArrayList<>(environment);
        arguments.addAll(List.of(
                "--sextant.training.jobs.runner=kubernetes",
                "--sextant.training.jobs.poll-interval=200ms",
                "--sextant.training.kubernetes.api-url=http://127.0.0.1:" + port,
                "--sextant.training.kubernetes.image=registry.example/sextant/training-orchestrator:test"));
        orchestrator = ServiceJar.start(jar("training-orchestrator"), arguments.toArray(String[]::new));
    }

    /** The kubelet's part: the Job's container, run as a process with the Job's arguments. */
    static void runWorker(JsonNode manifest) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                jar("training-orchestrator").toString()));
        command.addAll(environment);
        for (JsonNode argument : manifest.at("/spec/template/spec/containers/0/args")) {
            String value = argument.asString();
            // The pod's /tmp is an emptyDir; here, the worker's own temporary directory.
            command.add(
                    value.replace("=/tmp/training", "=" + workerLog.getParent().resolve("worker-data")));
        }
        try {
            workers.add(new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(workerLog.toFile()))
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        workers.forEach(Process::destroyForcibly);
        for (ServiceJar service : new ServiceJar[] {orchestrator, features, registry}) {
            if (service != null) {
                service.close();
            }
        }
        if (kubernetes != null) {
            kubernetes.stop(0);
        }
    }

    @Test
    void runsAJobAsAKubernetesJobWhoseWorkerTrainsAndRegistersIt() throws Exception {
        String body = "{\"model\": \"k8s-fraud\", \"features\": [{\"ref\": \"request:amount\", \"default\": 0},"
                + " {\"ref\": \"merchant_profile:risk_score\", \"default\": 0.5}], \"data_from\": \"" + START
                + "\", \"data_to\": \"" + START.plus(Duration.ofDays(14)) + "\"}";
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(orchestrator.url() + "/api/v1/training/jobs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString();

        JsonNode job = await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> get("/api/v1/training/jobs/" + id), j -> Set.of("REGISTERED", "REJECTED", "FAILED")
                        .contains(j.get("state").asString()));
        assertThat(job.get("state").asString())
                .as(job + "\n" + Files.readString(workerLog))
                .isEqualTo("REGISTERED");
        assertThat(workers).hasSize(1);
        assertThat(workers.get(0).waitFor()).isZero();

        assertThat(manifests).hasSize(1);
        JsonNode manifest = manifests.get(0);
        String name = manifest.at("/metadata/name").asString();
        assertThat(name).startsWith("training-" + id.substring(0, 8)).endsWith("-a1");
        assertThat(manifest.at("/spec/backoffLimit").intValue()).isZero();
        JsonNode container = manifest.at("/spec/template/spec/containers/0");
        assertThat(container.get("image").asString()).isEqualTo("registry.example/sextant/training-orchestrator:test");
        assertThat(container.get("args").toString())
                .contains("--sextant.training.worker.job-id=" + id)
                .contains("--sextant.training.jobs.instance-id=" + name);
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").booleanValue())
                .isTrue();
        assertThat(container.at("/securityContext/runAsNonRoot").booleanValue()).isTrue();
        assertThat(container.at("/securityContext/seccompProfile/type").asString())
                .isEqualTo("RuntimeDefault");
        assertThat(get("/api/v1/training/jobs/" + id + "/logs").path("lines").toString())
                .contains("running as Kubernetes Job " + name);
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(orchestrator.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static Path jar(String service) {
        return Path.of("../" + service + "/target/" + service + ".jar")
                .toAbsolutePath()
                .normalize();
    }
}
