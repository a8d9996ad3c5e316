package dev.sextant.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testinfra.OnnxModels;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar starts with no configuration (only a free port instead of 8083, so the test never collides
 * with a registry already running on this machine) and answers the contract: embedded database and artifact
 * store under ./data of its working directory.
 */
class RegistryJarIT {

    private Process registry;

    @AfterEach
    void stop() throws InterruptedException {
        if (registry != null) {
            registry.destroy();
            if (!registry.waitFor(30, TimeUnit.SECONDS)) {
                registry.destroyForcibly();
            }
        }
    }

    @Test
    void packagedJarRunsWithZeroConfigurationAndRegistersAModel() throws Exception {
        Path jar = Path.of(System.getProperty("sextant.registry.jar", "target/model-registry.jar"))
                .toAbsolutePath();
        assertThat(jar).exists();
        Path workingDir = Files.createTempDirectory("registry-jar");
        int port = Ports.free();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(), "--server.port=" + port)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workingDir.resolve("registry.log").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("SEXTANT_"));
        registry = builder.start();

        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        awaitReady(client, base + "/actuator/health/readiness", workingDir.resolve("registry.log"));

        byte[] model = OnnxModels.logisticRegression(new float[] {1f, 2f, 3f}, 0f);
        HttpResponse<String> created = client.send(
                multipart(base + "/api/v1/models/fraud/versions", model), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"version\":1", "\"datatype\":\"FP32\"");

        HttpResponse<String> info = client.send(
                HttpRequest.newBuilder(URI.create(base + "/actuator/info")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(info.body()).contains("\"artifact\":\"model-registry\"");
        assertThat(workingDir.resolve("data/model-registry/artifacts/sha256")).isDirectory();
        try (var files = Files.walk(workingDir.resolve("data/model-registry/artifacts/sha256"))) {
            assertThat(files.filter(file -> file.toString().endsWith(".onnx")).count())
                    .isEqualTo(1);
        }
    }

    private void awaitReady(HttpClient client, String url, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(registry.isAlive())
                    .as("registry exited; log: %s", Files.readString(log))
                    .isTrue();
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
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

    private static HttpRequest multipart(String url, byte[] model) throws IOException {
        String boundary = "sextant-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model.onnx\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(model);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
    }
}
