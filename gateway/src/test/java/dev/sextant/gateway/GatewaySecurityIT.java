package dev.sextant.gateway;

import static dev.sextant.gateway.GatewayTestSupport.ADMIN_KEY;
import static dev.sextant.gateway.GatewayTestSupport.PREDICT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trust boundary at the front door: the authorization matrix (each kind of credential on each class of
 * route), the same matrix on every spelling of each path a hostile client could try (percent-encoded, encoded
 * twice, case-changed, with a trailing slash, a doubled slash, a dot segment, a method override), the headers only
 * the gateway may set, health details for administrators only, and the token audience.
 */
class GatewaySecurityIT extends GatewayIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
        OTHER_ISSUER_TOKEN(bearer(GatewayTestSupport.tokenFromAnotherIssuer("ci", List.of("admin")))),
        OTHER_AUDIENCE_TOKEN(bearer(GatewayTestSupport.tokenForAnotherAudience("ci", List.of("admin"))));

        final Consumer<HttpHeaders> headers;

        Credential(Consumer<HttpHeaders> headers) {
            this.headers = headers;
        }
    }

    /** The route classes and a request of each kind in them. */
    static final Map<String, List<String>> CLASSES = Map.of(
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
                            "GET /api/v1/models/fraud/aliases/champion/artifact",
                            "GET /api/v1/models/fraud/versions/1/native",
                            "POST /api/v1/features/push",
                            "POST /api/v1/features/historical",
                            "GET /api/v1/features/historical/abc",
                            "POST /api/v1/training/jobs",
                            "PUT /api/v1/monitoring/models/fraud/settings"),
            "internal", List.of("GET /actuator/env", "GET /actuator/gateway/routes", "POST /actuator/health"));

    /** The status each credential gets on each route class: the whole matrix. */
    static final Map<Credential, Map<String, Integer>> EXPECTED = Map.ofEntries(
            Map.entry(Credential.NONE, Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401)),
            Map.entry(Credential.UNKNOWN_KEY, Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401)),
            Map.entry(Credential.PREDICT_KEY, Map.of("predict", 200, "read", 200, "admin", 403, "internal", 403)),
            Map.entry(Credential.ADMIN_KEY, Map.of("predict", 200, "read", 200, "admin", 200, "internal", 403)),
            Map.entry(Credential.PREDICT_TOKEN, Map.of("predict", 200, "read", 200, "admin", 403, "internal", 403)),
            Map.entry(Credential.ADMIN_TOKEN, Map.of("predict", 200, "read", 200, "admin", 200, "internal", 403)),
            Map.entry(
                    Credential.TOKEN_WITHOUT_ROLES, Map.of("predict", 403, "read", 403, "admin", 403, "internal", 403)),
            Map.entry(Credential.EXPIRED_TOKEN, Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401)),
            Map.entry(Credential.FORGED_TOKEN, Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401)),
            Map.entry(
                    Credential.OTHER_ISSUER_TOKEN, Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401)),
            Map.entry(
                    Credential.OTHER_AUDIENCE_TOKEN,
                    Map.of("predict", 401, "read", 401, "admin", 401, "internal", 401)));

    static Stream<Arguments> matrix() {
        return EXPECTED.entrySet().stream().flatMap(byCredential -> CLASSES.entrySet().stream()
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

    /**
     * Spellings of a path that a backend reads as the same path: each must get the decision the plain path gets,
     * or be refused, for every credential.
     */
    enum Spelling {
        /** a letter of the last segment percent-encoded: {@code artifac%74} (the registry decodes it) */
        ENCODED_LAST_SEGMENT(path -> encodeFirstLetter(path, path.lastIndexOf('/') + 1), true),
        /** a letter of the first segment percent-encoded: {@code /%61pi/v1/...} */
        ENCODED_FIRST_SEGMENT(path -> encodeFirstLetter(path, 1), true),
        /** the last segment in upper case: {@code ARTIFACT} (a backend matching without case would serve it) */
        UPPER_CASE_LAST_SEGMENT(
                path -> path.substring(0, path.lastIndexOf('/') + 1)
                        + path.substring(path.lastIndexOf('/') + 1).toUpperCase(Locale.ROOT),
                true),
        /** a trailing slash: {@code .../artifact/} */
        TRAILING_SLASH(path -> path + "/", true),
        /** a letter encoded twice: {@code artifac%2574}, which a second decoding turns into {@code artifact} */
        ENCODED_TWICE(path -> encodeFirstLetter(path, path.lastIndexOf('/') + 1).replace("%", "%25"), false),
        /** a doubled slash before the last segment */
        DOUBLED_SLASH(
                path -> path.substring(0, path.lastIndexOf('/')) + "/" + path.substring(path.lastIndexOf('/')), false),
        /** a dot segment that climbs back: {@code /x/../artifact} */
        DOT_SEGMENT(
                path -> path.substring(0, path.lastIndexOf('/')) + "/x/.." + path.substring(path.lastIndexOf('/')),
                false),
        /** an encoded dot segment: {@code /x/%2e%2e/artifact} */
        ENCODED_DOT_SEGMENT(
                path -> path.substring(0, path.lastIndexOf('/')) + "/x/%2e%2e" + path.substring(path.lastIndexOf('/')),
                false),
        /** an encoded slash in place of the last one */
        ENCODED_SLASH(
                path -> path.substring(0, path.lastIndexOf('/')) + "%2F" + path.substring(path.lastIndexOf('/') + 1),
                false),
        /** a matrix parameter: {@code artifact;x=1} */
        MATRIX_PARAMETER(path -> path + ";x=1", false);

        final UnaryOperator<String> respell;
        /** whether the gateway serves the spelling as the plain path; otherwise it refuses it with 400 */
        final boolean servedAsThePath;

        Spelling(UnaryOperator<String> respell, boolean servedAsThePath) {
            this.respell = respell;
            this.servedAsThePath = servedAsThePath;
        }
    }

    static Stream<Arguments> spellings() {
        return matrix().flatMap(cell -> Arrays.stream(Spelling.values()).map(spelling -> {
            Object[] of = cell.get();
            return Arguments.of(of[0], of[1], of[2], spelling, of[3]);
        }));
    }

    @ParameterizedTest(name = "{0} on {1} route {2} spelled {3}")
    @MethodSource("spellings")
    void decidesEverySpellingOfAPathAsThePathItselfOrRefusesIt(
            Credential credential, String routeClass, String request, Spelling spelling, int plainStatus) {
        String[] parts = request.split(" ");
        String path = spelling.respell.apply(parts[1]);
        int before = backendRequests();
        int status = request(parts[0], path, credential.headers)
                .returnResult(String.class)
                .getStatus()
                .value();
        if (spelling.servedAsThePath) {
            assertThat(status).as("%s %s as %s", parts[0], path, credential).isEqualTo(plainStatus);
        } else {
            assertThat(status).as("%s %s as %s", parts[0], path, credential).isEqualTo(400);
        }
        assertThat(backendRequests() - before)
                .as("backend requests for %s %s as %s", parts[0], path, credential)
                .isEqualTo(status == 200 ? 1 : 0);
    }

    static Stream<Arguments> methodOverrides() {
        return Stream.of(
                Arguments.of("GET", "/api/v1/models/fraud/aliases/champion", "X-HTTP-Method-Override", "PUT"),
                Arguments.of("POST", "/api/v1/features/online", "X-HTTP-Method-Override", "DELETE"),
                Arguments.of("GET", "/api/v1/training/jobs", "X-HTTP-Method", "POST"),
                Arguments.of("GET", "/api/v1/monitoring/models/fraud/drift", "X-Method-Override", "PUT"),
                Arguments.of("GET", "/api/v1/models/fraud/versions?_method=POST", null, null),
                Arguments.of("POST", "/v2/models/fraud/infer?x=1&_method=DELETE", null, null));
    }

    @ParameterizedTest(name = "{0} {1} with {2}: {3}")
    @MethodSource("methodOverrides")
    void refusesEveryWayOfAskingForAnotherMethod(String method, String path, String header, String value) {
        for (Credential credential : List.of(Credential.PREDICT_KEY, Credential.ADMIN_KEY, Credential.NONE)) {
            int before = backendRequests();
            request(method, path, credential.headers.andThen(headers -> {
                        if (header != null) {
                            headers.set(header, value);
                        }
                    }))
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .jsonPath("$.detail")
                    .value(detail -> assertThat((String) detail)
                            .startsWith("the request was refused")
                            .contains(header == null ? "_method" : header));
            assertThat(backendRequests()).isEqualTo(before);
        }
    }

    @Test
    void setsTheActorFromTheAuthenticatedClientAndDropsEveryGatewayHeaderAClientSends() {
        Consumer<HttpHeaders> forged = headers -> {
            headers.set("X-Sextant-Actor", "mallory");
            headers.set("x-sextant-role", "admin");
            headers.set("X-SEXTANT-TRAFFIC-ROLE", "champion");
        };
        request("PUT", "/api/v1/models/fraud/aliases/champion", auth(ADMIN_KEY).andThen(forged))
                .expectStatus()
                .isOk();
        assertThat(backend("model-registry").lastHeaders())
                .containsEntry("x-sextant-actor", "ops")
                .doesNotContainKeys("x-sextant-role", "x-sextant-traffic-role");
        request(
                        "POST",
                        "/api/v1/training/jobs",
                        bearer(GatewayTestSupport.token("ci", List.of("admin"))).andThen(forged))
                .expectStatus()
                .isOk();
        assertThat(backend("training-orchestrator").lastHeaders())
                .containsEntry("x-sextant-actor", "ci")
                .doesNotContainKeys("x-sextant-role", "x-sextant-traffic-role");
        // the public API documentation is fetched with no client: no actor at all, not the forged one
        http.get()
                .uri("/openapi/model-registry")
                .headers(forged)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(backend("model-registry").lastHeaders())
                .doesNotContainKeys("x-sextant-actor", "x-sextant-role", "x-sextant-traffic-role");
    }

    @Test
    void refusesATokenWhoseClientNameCouldNotBeRecordedAsTheActor() {
        String longName = "c".repeat(201);
        request("GET", "/v2/models/fraud", bearer(GatewayTestSupport.token(longName, List.of("admin"))))
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("1-200 printable characters"));
    }

    @Test
    void servesItsHealthStatusAndProbesToAnyoneAndTheDetailsToAdministratorsOnly() {
        for (Consumer<HttpHeaders> credential : List.<Consumer<HttpHeaders>>of(h -> {}, auth(PREDICT_KEY))) {
            JsonNode health = health(credential);
            assertThat(health.path("status").asString()).isEqualTo("UP");
            assertThat(health.has("components")).isFalse();
        }
        JsonNode admin = health(auth(ADMIN_KEY));
        assertThat(admin.path("components").path("redis").path("details").has("version"))
                .isTrue();
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        // one routed request, so that the gateway's request timer exists whatever ran before
        request("GET", "/v2/models/fraud", auth(PREDICT_KEY)).expectStatus().isOk();
        http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("spring_cloud_gateway_requests_seconds"));
    }

    private JsonNode health(Consumer<HttpHeaders> credential) {
        String body = http.get()
                .uri("/actuator/health")
                .headers(credential)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body);
    }

    private static int backendRequests() {
        return BACKENDS.values().stream().mapToInt(FakeBackend::requests).sum();
    }

    /** Percent-encodes the first ASCII letter at or after {@code from}. */
    private static String encodeFirstLetter(String path, int from) {
        for (int i = from; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isLetter(c) && c < 128) {
                return path.substring(0, i) + String.format("%%%02X", (int) c) + path.substring(i + 1);
            }
        }
        throw new IllegalArgumentException("no letter to encode in " + path + " after " + from);
    }
}
