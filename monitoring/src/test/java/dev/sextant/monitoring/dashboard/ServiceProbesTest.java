package dev.sextant.monitoring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sextant.monitoring.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each box's request rate and latency come from the request timer its service records: Spring's
 * {@code http.server.requests} (actuator requests left out) for every service, and for the prediction service also
 * {@code sextant.prediction.requests}, the only timer of its infer and predict requests. Each service here answers
 * its health and an exposition shaped as the real one is, whose counts grow by a known number between scrapes.
 */
class ServiceProbesTest {

    private final Map<String, HttpServer> servers = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        servers.values().forEach(server -> server.stop(0));
    }

    @Test
    void everyBoxCountsTheRequestsItsServiceRecordsAndNotTheScrapes() throws Exception {
        Map<String, URI> services = new LinkedHashMap<>();
        // gateway, feature store, registry, orchestrator and monitoring: http.server.requests only
        for (String name : new String[] {"gateway", "feature-store", "model-registry", "monitoring"}) {
            services.put(
                    name,
                    serve(name, scrape -> http("/api/v1/x", 100 * scrape) + http("/actuator/prometheus", 7 * scrape)));
        }
        // the prediction service: 100 requests to other endpoints, 400 infer and predict requests on its own timer
        services.put(
                "prediction-service",
                serve(
                        "prediction-service",
                        scrape -> http("/v2/models/{model}", 100 * scrape)
                                + http("/actuator/prometheus", 7 * scrape)
                                + predictions("fraud", "3", 300 * scrape)
                                + predictions("fraud", "4", 100 * scrape)));
        ServiceProbes probes = new ServiceProbes(
                TestProperties.probing(services).dashboard(),
                JsonMapper.builder().build(),
                new KafkaAdmin(Map.of()),
                new SimpleMeterRegistry(),
                Clock.systemUTC());

        long started = System.nanoTime();
        services.forEach(probes::probe);
        Thread.sleep(500);
        services.forEach(probes::probe);
        double longest = (System.nanoTime() - started) / 1e9;

        Map<String, ServiceProbes.Probe> latest = new LinkedHashMap<>();
        probes.services().forEach(state -> latest.put(state.name(), state.latest()));
        for (String name : new String[] {"gateway", "feature-store", "model-registry", "monitoring"}) {
            assertThat(latest.get(name).status()).isEqualTo("UP");
            assertThat(latest.get(name).requestsPerSecond()).as(name).isBetween(100 / longest, 100 / 0.5);
            assertThat(latest.get(name).p99Millis()).as(name).isNotNull();
        }
        ServiceProbes.Probe prediction = latest.get("prediction-service");
        assertThat(prediction.requestsPerSecond()).isBetween(500 / longest, 500 / 0.5);
        // 400 of the 500 requests in the prediction timer's first bucket (up to 2 ms), 100 in (2 ms, 8 ms]
        assertThat(prediction.p50Millis()).isLessThanOrEqualTo(2.0);
        assertThat(prediction.p99Millis()).isGreaterThan(2.0);
        assertThat(probes.traffic().keySet()).containsExactly("fraud/3", "fraud/4");
        assertThat(probes.traffic().get("fraud/3")).isBetween(300 / longest, 300 / 0.5);
    }

    /** A service answering UP and its exposition for the n-th scrape (1, 2, …). */
    private URI serve(String name, IntFunction<String> exposition) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger scrapes = new AtomicInteger();
        server.createContext("/actuator/health", exchange -> answer(exchange, "{\"status\":\"UP\"}"));
        server.createContext(
                "/actuator/prometheus", exchange -> answer(exchange, exposition.apply(scrapes.incrementAndGet())));
        server.start();
        servers.put(name, server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Spring's http.server.requests: every request within 5 ms. */
    private static String http(String uri, int count) {
        return String.format(
                Locale.ROOT,
                """
                http_server_requests_seconds_bucket{method="GET",outcome="SUCCESS",status="200",uri="%1$s",le="0.001"} 0
                http_server_requests_seconds_bucket{method="GET",outcome="SUCCESS",status="200",uri="%1$s",le="0.005"} %2$d
                http_server_requests_seconds_bucket{method="GET",outcome="SUCCESS",status="200",uri="%1$s",le="+Inf"} %2$d
                http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="%1$s"} %2$d
                http_server_requests_seconds_sum{method="GET",outcome="SUCCESS",status="200",uri="%1$s"} %3$f
                """,
                uri,
                count,
                count * 0.003);
    }

    /** The prediction service's sextant.prediction.requests: 3 in 4 within 2 ms, the rest within 8 ms. */
    private static String predictions(String model, String version, int count) {
        String labels = "api=\"predict\",model=\"" + model + "\",outcome=\"ok\",version=\"" + version + "\"";
        return String.format(
                Locale.ROOT,
                """
                sextant_prediction_requests_seconds_bucket{%1$s,le="0.002"} %2$d
                sextant_prediction_requests_seconds_bucket{%1$s,le="0.008"} %3$d
                sextant_prediction_requests_seconds_bucket{%1$s,le="+Inf"} %3$d
                sextant_prediction_requests_seconds_count{%1$s} %3$d
                sextant_prediction_requests_seconds_sum{%1$s} %4$f
                sextant_prediction_requests_seconds_max{%1$s} 0.007
                """,
                labels,
                count * 3 / 4,
                count,
                count * 0.002);
    }
}
