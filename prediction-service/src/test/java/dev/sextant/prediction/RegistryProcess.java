package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testinfra.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real model registry, its packaged jar run as a process with an empty data directory (the reactor builds
 * model-registry before this module; {@code sextant.registry.jar} says where its jar is), and the calls the tests
 * make to it.
 */
final class RegistryProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    final String url;

    String url() {
        return url;
    }

    private RegistryProcess(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /** A registry without Kafka: its events wait in its outbox. */
    static RegistryProcess start() throws Exception {
        return start("127.0.0.1:" + Ports.free());
    }

    /** A registry publishing its model events to this Kafka. */
    static RegistryProcess start(String kafkaBootstrapServers) throws Exception {
        Path jar = Path.of(System.getProperty("sextant.registry.jar", "../model-registry/target/model-registry.jar"))
                .toAbsolutePath()
                .normalize();
        assertThat(jar)
                .as("the model registry's jar; build it first: ./mvnw package -pl model-registry")
                .exists();
        Path directory = Files.createTempDirectory("registry");
        int port = Ports.free();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = directory.resolve("registry.log");
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-jar",
                        jar.toString(),
                        "--server.port=" + port,
                        "--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("SEXTANT_"));
        RegistryProcess registry = new RegistryProcess(builder.start(), log, "http://127.0.0.1:" + port);
        registry.awaitReady();
        return registry;
    }

    int register(String model, byte[] onnx) throws Exception {
        String boundary = "sextant-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model.onnx\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(onnx);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(url + "/api/v1/models/" + model + "/versions"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Integer.parseInt(created.body().replaceAll(".*\"version\":(\\d+).*", "$1"));
    }

    void setAlias(String model, String alias, int version) throws Exception {
        HttpResponse<String> set = http.send(
                HttpRequest.newBuilder(URI.create(url + "/api/v1/models/" + model + "/aliases/" + alias))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": " + version + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive())
                    .as("registry exited; log: %s", Files.readString(log))
                    .isTrue();
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("registry not ready within 90 s; log: " + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
