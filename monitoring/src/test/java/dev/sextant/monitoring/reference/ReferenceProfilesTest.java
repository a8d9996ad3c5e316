package dev.sextant.monitoring.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sextant.registry.client.RegistryClient;
import dev.sextant.registry.client.RegistryConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * The references of the most recently used versions are kept (the model and version come from Kafka records, so
 * the cache is bounded), and a column whose numbers are not numbers is left out rather than read as one.
 */
class ReferenceProfilesTest {

    private static final String PERCENTILES =
            IntStream.rangeClosed(0, 100).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));

    private HttpServer registry;
    private final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        registry.createContext("/api/v1/models/", exchange -> {
            reads.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            byte[] body = ("{\"name\": \"m\", \"version\": " + path.substring(path.lastIndexOf('/') + 1)
                            + ", \"sha256\": \"00\", \"size_bytes\": 1, \"features\": [{\"ref\": \"a:x\"}, {\"ref\": \"a:y\"}], \"reference_distributions\":"
                            + " {\"format\": \"sextant.reference.v1\", \"features\": {\"a:x\": {\"percentiles\": "
                            + PERCENTILES + ", \"histogram\": {\"edges\": [50], \"fractions\": [0.5, 0.5]}},"
                            + " \"a:y\": {\"percentiles\": " + PERCENTILES.replace("100]", "\"high\"]")
                            + ", \"histogram\": {\"edges\": [50], \"fractions\": [0.5, 0.5]}}}}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    @Test
    void keepsTheMostRecentlyUsedVersionsAndLeavesOutColumnsThatAreNotNumbers() {
        RegistryClient client = RegistryClient.create(
                RestClient.builder(),
                new RegistryConnection(
                        URI.create("http://127.0.0.1:" + registry.getAddress().getPort()),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(10),
                        "monitoring"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ReferenceProfiles profiles = new ReferenceProfiles(client, 2, meters);

        ReferenceProfile first = profiles.of("m", 1).orElseThrow();
        assertThat(first.columns()).containsOnlyKeys("a:x");
        profiles.of("m", 1);
        assertThat(reads).hasValue(1);
        for (int version = 2; version <= 50; version++) {
            profiles.of("m", version);
        }
        profiles.of("m", 1);
        assertThat(reads).as("version 1 was forgotten and read again").hasValue(51);
        assertThat(meters.get("cache.size")
                        .tag("cache", "monitoring.references")
                        .gauge()
                        .value())
                .isLessThanOrEqualTo(2);
    }
}
