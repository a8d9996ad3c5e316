package dev.sextant.gateway;

import static dev.sextant.gateway.GatewayTestSupport.ADMIN_KEY;
import static dev.sextant.gateway.GatewayTestSupport.PREDICT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Routing of every public path to its service, request ids and trace context, size limits, CORS and security
 * headers. Who may call what is {@link GatewaySecurityIT}'s.
 */
class GatewayRoutingIT extends GatewayIntegrationTest {

    static Stream<Arguments> publicPaths() {
        return Stream.of(
                Arguments.of("GET", "/v2", "prediction-service"),
                Arguments.of("GET", "/v2/health/ready", "prediction-service"),
                Arguments.of("GET", "/v2/models/fraud/versions/3", "prediction-service"),
                Arguments.of("POST", "/v2/models/fraud/infer", "prediction-service"),
                Arguments.of("POST", "/api/v1/predict/fraud?version=2", "prediction-service"),
                Arguments.of("POST", "/api/v1/features/online", "feature-store"),
                Arguments.of("GET", "/api/v1/features/views", "feature-store"),
                Arguments.of("POST", "/api/v1/features/push", "feature-store"),
                Arguments.of("POST", "/api/v1/features/historical", "feature-store"),
                Arguments.of("GET", "/api/v1/features/historical/abc", "feature-store"),
                Arguments.of("POST", "/api/v1/features/materialize", "feature-store"),
                Arguments.of("GET", "/api/v1/models", "model-registry"),
                Arguments.of("POST", "/api/v1/models/fraud/versions", "model-registry"),
                Arguments.of("GET", "/api/v1/models/fraud/versions/1/artifact", "model-registry"),
                Arguments.of("PUT", "/api/v1/models/fraud/aliases/champion", "model-registry"),
                Arguments.of("DELETE", "/api/v1/models/fraud/aliases/challenger", "model-registry"),
                Arguments.of("POST", "/api/v1/training/jobs", "training-orchestrator"),
                Arguments.of("GET", "/api/v1/training/jobs/42", "training-orchestrator"),
                Arguments.of("GET", "/api/v1/monitoring/models/fraud/drift", "monitoring"),
                Arguments.of("PUT", "/api/v1/monitoring/models/fraud/settings", "monitoring"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("publicPaths")
    void routesEveryPublicPathToItsServiceUnchanged(String method, String path, String service) {
        request(method, path, auth(ADMIN_KEY))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.backend")
                .isEqualTo(service)
                .jsonPath("$.method")
                .isEqualTo(method)
                .jsonPath("$.path")
                .isEqualTo(path.contains("?") ? path.substring(0, path.indexOf('?')) : path)
                .jsonPath("$.query")
                .isEqualTo(path.contains("?") ? path.substring(path.indexOf('?') + 1) : null);
    }

    @Test
    void servesEachServicesOpenApiDocumentAsCalledThroughTheGatewayWithoutCredentials() {
        http.get()
                .uri("/openapi/feature-store")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.backend")
                .isEqualTo("feature-store")
                .jsonPath("$.path")
                .isEqualTo("/v3/api-docs")
                .jsonPath("$.servers[0].url")
                .isEqualTo("/")
                .jsonPath("$.components.securitySchemes.apiKey.name")
                .isEqualTo("X-API-Key")
                .jsonPath("$.security[1].bearer")
                .exists();
        http.get()
                .uri("/v3/api-docs/swagger-config")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(config -> assertThat(config)
                        .contains("/openapi/prediction-service", "/openapi/feature-store", "/openapi/model-registry"));
    }

    @Test
    void answersAnUnknownPathWithA404ProblemListingTheRoutes() {
        request("GET", "/api/v1/nothing", auth(ADMIN_KEY))
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).startsWith("no route for /api/v1/nothing"));
    }

    @Test
    void keepsTheCallersKeyAtTheGatewayAndPassesItsBearerToken() {
        String token = GatewayTestSupport.token("dashboard", List.of("predict"));
        request("GET", "/v2/models/fraud", auth(PREDICT_KEY)).expectStatus().isOk();
        assertThat(backend("prediction-service").lastHeaders()).doesNotContainKey("x-api-key");
        request("GET", "/v2/models/fraud", bearer(token)).expectStatus().isOk();
        assertThat(backend("prediction-service").lastHeaders()).containsEntry("authorization", "Bearer " + token);
    }

    @Test
    void passesTheCallersRequestIdAndTraceContextToTheBackendAndEchoesThem() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        request("POST", "/v2/models/fraud/infer", auth(PREDICT_KEY).andThen(headers -> {
                    headers.set("X-Request-Id", "order-123");
                    headers.set("traceparent", traceparent);
                    headers.set("tracestate", "vendor=abc");
                }))
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-Request-Id", "order-123")
                .expectHeader()
                .valueEquals("traceparent", traceparent);
        assertThat(backend("prediction-service").lastHeaders())
                .containsEntry("x-request-id", "order-123")
                .containsEntry("traceparent", traceparent)
                .containsEntry("tracestate", "vendor=abc");
    }

    @Test
    void startsATraceAndARequestIdWhenTheCallerSendsNoneOrMalformedOnes() {
        WebTestClient.ResponseSpec response = request(
                        "GET", "/api/v1/features/views", auth(PREDICT_KEY).andThen(headers -> {
                            headers.set("X-Request-Id", "bad id with spaces");
                            headers.set("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
                            headers.set("tracestate", "vendor=abc");
                        }))
                .expectStatus()
                .isOk();
        HttpHeaders answered = response.returnResult(Void.class).getResponseHeaders();
        String requestId = answered.getFirst("X-Request-Id");
        String traceparent = answered.getFirst("traceparent");
        assertThat(requestId).matches("[0-9a-f-]{36}");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain("0".repeat(32));
        assertThat(backend("feature-store").lastHeaders())
                .containsEntry("x-request-id", requestId)
                .containsEntry("traceparent", traceparent)
                .doesNotContainKey("tracestate");
    }

    @Test
    void refusesABodyOverTheRoutesLimitBeforeTheBackendSeesIt() {
        int before = backend("feature-store").requests();
        byte[] body = new byte[1024 * 1024 + 1];
        http.post()
                .uri("/api/v1/features/online")
                .headers(auth(PREDICT_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isEqualTo(413)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("route 'features-online'"));
        assertThat(backend("feature-store").requests()).isEqualTo(before);
        // the registry's route takes model uploads far larger than the default limit
        http.post()
                .uri("/api/v1/models/fraud/versions")
                .headers(auth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue(new byte[8 * 1024 * 1024])
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.body_bytes")
                .isEqualTo(8 * 1024 * 1024);
    }

    @Test
    void cutsOffAChunkedBodyOverTheLimit() {
        reactor.core.publisher.Flux<org.springframework.core.io.buffer.DataBuffer> chunks =
                reactor.core.publisher.Flux.range(0, 40)
                        .map(i -> org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance.wrap(
                                new byte[64 * 1024]));
        http.post()
                .uri("/api/v1/training/jobs")
                .headers(auth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunks, org.springframework.core.io.buffer.DataBuffer.class)
                .exchange()
                .expectStatus()
                .isEqualTo(413);
    }

    @Test
    void answersCorsPreflightsForTheDashboardOnlyAndSetsSecurityHeaders() {
        http.options()
                .uri("/v2/models/fraud/infer")
                .header("Origin", "https://dashboard.sextant.test")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "X-API-Key, Content-Type")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Access-Control-Allow-Origin", "https://dashboard.sextant.test");
        http.options()
                .uri("/v2/models/fraud/infer")
                .header("Origin", "https://evil.test")
                .header("Access-Control-Request-Method", "POST")
                .exchange()
                .expectStatus()
                .isForbidden();
        request(
                        "GET",
                        "/v2/models/fraud",
                        auth(PREDICT_KEY).andThen(h -> h.setOrigin("https://dashboard.sextant.test")))
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Access-Control-Allow-Origin", "https://dashboard.sextant.test")
                .expectHeader()
                .valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader()
                .valueEquals("X-Frame-Options", "DENY")
                .expectHeader()
                .valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader()
                .valueEquals("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
}
