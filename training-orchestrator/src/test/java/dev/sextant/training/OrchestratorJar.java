package dev.sextant.training;

import dev.sextant.testsupport.ServiceJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;

/** The orchestrator's packaged jar, as the fuzz tests run it, and what its metrics endpoint counts. */
final class OrchestratorJar {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private OrchestratorJar() {}

    /** The jar this module packaged (the failsafe phase runs after the package phase). */
    static Path path() {
        return Path.of("target/training-orchestrator.jar").toAbsolutePath();
    }

    /** The count of {@code meter} with this {@code outcome} tag, or of all outcomes when null; 0 before the first. */
    static double counted(ServiceJar orchestrator, String meter, String outcome) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(orchestrator.url() + "/actuator/metrics/" + meter
                                + (outcome == null ? "" : "?tag=outcome:" + outcome)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return 0;
        }
        return JSON.readTree(response.body())
                .path("measurements")
                .get(0)
                .path("value")
                .doubleValue();
    }
}
