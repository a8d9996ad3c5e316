package dev.sextant.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testsupport.OnnxModels;
import dev.sextant.testsupport.ServiceJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar starts with no configuration (only a free port instead of 8083, so the test never collides
 * with a registry already running on this machine) and answers the contract: embedded database and artifact
 * store under ./data of its working directory.
 */
class RegistryJarIT {

    @Test
    void packagedJarRunsWithZeroConfigurationAndRegistersAModel() throws Exception {
        Path jar = Path.of(System.getProperty("sextant.registry.jar", "target/model-registry.jar"));
        try (ServiceJar registry = ServiceJar.start(jar)) {
            HttpClient client = HttpClient.newHttpClient();
            byte[] model = OnnxModels.logisticRegression(new float[] {1f, 2f, 3f}, 0f);
            HttpResponse<String> created = client.send(
                    ServiceJar.multipartFile(registry.url() + "/api/v1/models/fraud/versions", "model.onnx", model),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.body()).contains("\"version\":1", "\"datatype\":\"FP32\"");

            HttpResponse<String> info = client.send(
                    HttpRequest.newBuilder(URI.create(registry.url() + "/actuator/info"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(info.body()).contains("\"artifact\":\"model-registry\"");
            Path artifacts = registry.workingDirectory().resolve("data/model-registry/artifacts/sha256");
            assertThat(artifacts).isDirectory();
            try (var files = Files.walk(artifacts)) {
                assertThat(files.filter(file -> file.toString().endsWith(".onnx"))
                                .count())
                        .isEqualTo(1);
            }
        }
    }
}
