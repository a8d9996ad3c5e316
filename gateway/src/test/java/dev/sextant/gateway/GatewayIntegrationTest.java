package dev.sextant.gateway;

import dev.sextant.testsupport.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The real gateway (the application, on a random port) in front of one {@link FakeBackend} per service and a
 * real Redis for its rate limits. Every subclass shares one Spring context, the backends and Redis. The circuit
 * breakers are configured smaller and quicker than in production so a test can open and close one.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "resilience4j.circuitbreaker.configs.default.sliding-window-size=4",
            "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=4",
            "resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state=2s",
            "sextant.gateway.rate-limits.clients.limited.replenish-rate=1",
            "sextant.gateway.rate-limits.clients.limited.burst-capacity=2",
            // long enough that a test's burst of requests synchronises by the share of tokens, not by time
            "sextant.gateway.rate-limits.sync-interval=1s",
            "sextant.gateway.cors.allowed-origins=https://dashboard.sextant.test",
            "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + GatewayTestSupport.ISSUER,
            "spring.security.oauth2.resourceserver.jwt.audiences=" + GatewayTestSupport.AUDIENCE,
        })
abstract class GatewayIntegrationTest {

    static final RedisServer REDIS = RedisServer.startDedicated();
    static final Map<String, FakeBackend> BACKENDS = Map.of(
            "prediction-service", new FakeBackend("prediction-service"),
            "feature-store", new FakeBackend("feature-store"),
            "model-registry", new FakeBackend("model-registry"),
            "training-orchestrator", new FakeBackend("training-orchestrator"),
            "monitoring", new FakeBackend("monitoring"));

    @LocalServerPort
    int port;

    WebTestClient http;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", REDIS::url);
        registry.add("PREDICTION_SERVICE_URL", () -> BACKENDS.get("prediction-service")
                .url());
        registry.add("FEATURE_STORE_URL", () -> BACKENDS.get("feature-store").url());
        registry.add("MODEL_REGISTRY_URL", () -> BACKENDS.get("model-registry").url());
        registry.add("TRAINING_ORCHESTRATOR_URL", () -> BACKENDS.get("training-orchestrator")
                .url());
        registry.add("MONITORING_URL", () -> BACKENDS.get("monitoring").url());
        GatewayTestSupport.apiKeys(registry);
        registry.add(
                "sextant.gateway.api-keys.limited.sha256",
                () -> GatewayTestSupport.sha256(GatewayTestSupport.LIMITED_KEY));
        registry.add("sextant.gateway.api-keys.limited.roles", () -> "predict");
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", GatewayTestSupport::jwkSetUri);
    }

    @BeforeEach
    void client() {
        http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .filter(GatewayIntegrationTest::readWhole)
                .build();
    }

    /**
     * Reads every answer's body before the test sees the answer. A test that asserts only a status or a header
     * would otherwise leave the body unread, and its connection held by the client's pool with the answer unread
     * in the socket: after enough of them a later request waited for a connection until it timed out.
     */
    private static Mono<ClientResponse> readWhole(ClientRequest request, ExchangeFunction next) {
        return next.exchange(request).flatMap(response -> response.bodyToMono(byte[].class)
                .defaultIfEmpty(new byte[0])
                .map(body -> response.mutate()
                        .body(unread -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)))
                        .build()));
    }

    static FakeBackend backend(String name) {
        return BACKENDS.get(name);
    }

    /**
     * Sends a request with an empty JSON body where the method has one. The path goes as it is written, percent
     * signs included (a URI, not a template that would encode them again).
     */
    WebTestClient.ResponseSpec request(String method, String path, Consumer<HttpHeaders> headers) {
        WebTestClient.RequestBodySpec request = http.method(HttpMethod.valueOf(method))
                .uri(URI.create("http://127.0.0.1:" + port + path))
                .headers(headers);
        if (method.equals("POST") || method.equals("PUT")) {
            return request.contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{}")
                    .exchange();
        }
        return request.exchange();
    }

    static Consumer<HttpHeaders> auth(String key) {
        return headers -> headers.set("X-API-Key", key);
    }

    static Consumer<HttpHeaders> bearer(String token) {
        return headers -> headers.setBearerAuth(token);
    }
}
