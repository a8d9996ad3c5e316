package dev.sextant.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sextant.testsupport.RequiredTools;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real nginx (the Debian package) in front of two local HTTP servers standing in for the prediction service and
 * the feature store: it routes as the gateway does, passes bodies through, keeps its upstream connections alive, and
 * stops with its workers. Skipped without nginx, except in CI ({@code CI} set), which installs it.
 */
class NginxTest {

    @TempDir
    Path dir;

    private final Set<Integer> predictionConnections = ConcurrentHashMap.newKeySet();
    private HttpServer prediction;
    private HttpServer features;

    @BeforeEach
    void start() throws IOException {
        prediction = server("prediction", predictionConnections);
        features = server("features", ConcurrentHashMap.newKeySet());
    }

    @AfterEach
    void stop() {
        prediction.stop(0);
        features.stop(0);
    }

    @Test
    void proxiesToTheServiceTheGatewayWouldOverKeptAliveConnectionsAndStopsWithItsWorkers() throws Exception {
        Path executable = RequiredTools.require("nginx", "apt-get install nginx");
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<ProcessHandle> processes;
        try (Nginx nginx =
                Nginx.start(executable, dir.resolve("nginx"), url(prediction), "http://localhost:" + port(features))) {
            assertThat(post(client, nginx.url + "/api/v1/predict/fraud", "{\"card\": 1}"))
                    .isEqualTo("prediction POST /api/v1/predict/fraud {\"card\": 1}");
            assertThat(post(client, nginx.url + "/v2/models/mlp/infer", "{}"))
                    .isEqualTo("prediction POST /v2/models/mlp/infer {}");
            assertThat(post(client, nginx.url + "/api/v1/features/online", "{\"features\": []}"))
                    .isEqualTo("features POST /api/v1/features/online {\"features\": []}");
            for (int i = 0; i < 50; i++) {
                post(client, nginx.url + "/api/v1/predict/fraud", "{}");
            }
            assertThat(predictionConnections)
                    .as("upstream connections for 52 requests (one per request without keep-alive)")
                    .hasSizeLessThanOrEqualTo(4);
            processes = new java.util.ArrayList<>(
                    ProcessHandle.of(nginx.pid()).orElseThrow().descendants().toList());
            assertThat(processes).as("nginx's workers").isNotEmpty();
            processes.add(ProcessHandle.of(nginx.pid()).orElseThrow());
        }
        for (ProcessHandle process : processes) {
            process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(process.isAlive()).isFalse();
        }
    }

    private static String post(HttpClient client, String url, String body) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Answers "name METHOD path body", and notes each connection's client port. */
    private static HttpServer server(String name, Set<Integer> connections) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", exchange -> {
            connections.add(exchange.getRemoteAddress().getPort());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = (name + " " + exchange.getRequestMethod() + " "
                            + exchange.getRequestURI().getPath() + " " + body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        return server;
    }

    private static int port(HttpServer server) {
        return server.getAddress().getPort();
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + port(server);
    }
}
