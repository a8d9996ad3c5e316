package dev.sextant.gateway;

import static dev.sextant.gateway.GatewayTestSupport.ADMIN_KEY;
import static dev.sextant.gateway.GatewayTestSupport.PREDICT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Routing of every public path to its service, the authorization matrix (each kind of credential on each class
 * of route), the paths that never reach a backend, request ids and trace context, size limits, CORS and security
 * headers.
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

    enum Credential {
        NONE(request -> {}),
        UNKNOWN_KEY(auth("not-a-key")),
        PREDICT_KEY(auth(GatewayTestSupport.PREDICT_KEY)),
        ADMIN_KEY(auth(GatewayTestSupport.ADMIN_KEY)),
        PREDICT_TOKEN(bearer(GatewayTestSupport.token("dashboard", List.of("predict")))),
        ADMIN_TOKEN(bearer(GatewayTestSupport.token("ci", List.of("admin", "other-system-role")))),
        TOKEN_WITHOUT_ROLES(bearer(GatewayTestSupport.token("nobody", List.of("viewer")))),
        EXPIRED_TOKEN(bearer(GatewayTestSupport.expiredToken("ci", List.of("admin")))),
        FORGED_TOKEN(bearer(GatewayTestSupport.tokenSignedByAStranger("ci", List.of("admin")))),
        OTHER_ISSUER_TOKEN(bearer(GatewayTestSupport.tokenFromAnotherIssuer("ci", List.of("admin"))));

        final Consumer<HttpHeaders> headers;

        Credential(Consumer<HttpHeaders> headers) {
            this.headers = headers;
        }
    }

    /** The route classes, a request of each, and the status each credential gets: the whole matrix. */
    static Stream<Arguments> matrix() {
        Map<String, List<String>> classes = Map.of(
                "predict", List.of("POST /v2/models/fraud/infer", "POST /api/v1/predict/fraud", "GET /v2/models/fraud"),
                "read",
                        List.of(
                                "POST /api/v1/features/online",
                                "GET /api/v1/features/views",
                                "GET /api/v1/models/fraud/aliases/champion",
                                "GET /api/v1/training/jobs",
                                "GET /api/v1/monitoring/models/fraud/drift"),
                "admin",
                        List.of(
                                "POST /api/v1/models/fraud/versions",
                                "PUT /api/v1/models/fraud/aliases/champion",
                                "GET /api/v1/models/fraud/versions/1/artifact",
                                "POST /api/v1/features/push",
                                "POST /api/v1/features/historical",
                                "POST /api/v1/training/jobs",
                                "PUT /api/v1/monitoring/models/fraud/settings"),
                "internal", List.of("GET /actuator/env", "GET /actuator/gateway/routes", "POST /actuator/health"));
        Map<Credential, Map<String, Integer>> expected = Map.of(
                Credential.NONE, Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401),
                Credential.UNKNOWN_KEY, Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401),
                Credential.PREDICT_KEY, Map.of("predict", 200, "read", 200, "admin", 403, "internal", 403),
                Credential.ADMIN_KEY, Map.of("predict", 200, "read", 200, "admin", 200, "internal", 403),
                Credential.PREDICT_TOKEN, Map.of("predict", 200, "read", 200, "admin", 403, "internal", 403),
                Credential.ADMIN_TOKEN, Map.of("predict", 200, "read", 200, "admin", 200, "internal", 403),
                Credential.TOKEN_WITHOUT_ROLES, Map.of("predict", 403, "read", 403, "admin", 403, "internal", 403),
                Credential.EXPIRED_TOKEN, Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401),
                Credential.FORGED_TOKEN, Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401),
                Credential.OTHER_ISSUER_TOKEN, Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401));
        return expected.entrySet().stream().flatMap(byCredential -> classes.entrySet().stream()
                .flatMap(routeClass -> routeClass.getValue().stream()
                        .map(request -> Arguments.of(
                                byCredential.getKey(),
                                routeClass.getKey(),
                                request,
                                byCredential.getValue().get(routeClass.getKey())))));
    }

    @ParameterizedTest(name = "{0} on {1} route {2} -> {3}")
    @MethodSource("matrix")
    void answersEachCredentialOnEachRouteClassAsTheMatrixSays(
            Credential credential, String routeClass, String request, int status) {
        String[] parts = request.split(" ");
        WebTestClient.ResponseSpec response = request(parts[0], parts[1], credential.headers);
        response.expectStatus().isEqualTo(status);
        if (status == 401) {
            response.expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader()
                    .valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer .*ApiKey.*")
                    .expectBody()
                    .jsonPath("$.status")
                    .isEqualTo(401)
                    .jsonPath("$.detail")
                    .value(detail -> assertThat((String) detail).containsAnyOf("needs credentials", "not valid"));
        }
        if (status == 403) {
            response.expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.detail")
                    .value(detail -> assertThat((String) detail).containsAnyOf("lacks the role", "is not served"));
        }
    }

    @Test
    void servesItsOwnHealthAndMetricsWithoutCredentials() {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("spring_cloud_gateway_requests_seconds"));
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
    void refusesPathsThatCouldEscapeARouteToABackendsInternals() {
        int before = backend("prediction-service").requests();
        for (String path : List.of("/v2/../actuator/env", "/v2/%2e%2e/actuator/env", "/v2/%2F..%2Factuator", "//v2")) {
            http.get()
                    .uri(java.net.URI.create("http://127.0.0.1:" + port + path))
                    .headers(auth(ADMIN_KEY))
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .jsonPath("$.detail")
                    .value(detail -> assertThat((String) detail).startsWith("the request was refused"));
        }
        assertThat(backend("prediction-service").requests()).isEqualTo(before);
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
        String requestId =
                response.returnResult(String.class).getResponseHeaders().getFirst("X-Request-Id");
        String traceparent =
                response.returnResult(String.class).getResponseHeaders().getFirst("traceparent");
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

    WebTestClient.ResponseSpec request(String method, String path, Consumer<HttpHeaders> headers) {
        WebTestClient.RequestBodySpec request =
                http.method(HttpMethod.valueOf(method)).uri(path).headers(headers);
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
