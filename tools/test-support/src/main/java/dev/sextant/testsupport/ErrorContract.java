package dev.sextant.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The error contract every service's HTTP API keeps (docs/architecture.md, "One error contract"): a request it refuses is answered with an
 * RFC 9457 problem ({@code application/problem+json}, {@code status} equal to the HTTP status, a {@code title} and a
 * {@code detail} that say what is wrong), never a 500 and never an HTML page. Checked against a running service on
 * one of its endpoints that reads a JSON body:
 *
 * <ul>
 *   <li>an unknown route is a 404;
 *   <li>a method the route does not take is a 405;
 *   <li>a body that is not JSON, or is not of its media type, is a 400 or a 415;
 *   <li>a missing body is a 400 saying so;
 *   <li>a field of the wrong type is a 400 that names the field ({@code request body.steps[0].weight is not valid:
 *       ...}, the path Jackson reports, where the body is read into a type).
 * </ul>
 *
 * Each service runs it in its {@code ErrorContractIT}.
 */
public final class ErrorContract {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final Map<String, String> headers;

    private ErrorContract(String baseUrl, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.headers = headers;
    }

    /** The contract of the service at this base URL ({@code http://host:port}), each request with these headers. */
    public static ErrorContract of(String baseUrl, Map<String, String> headers) {
        return new ErrorContract(baseUrl, Map.copyOf(headers));
    }

    /**
     * An endpoint that reads a JSON body.
     *
     * @param method {@code POST} or {@code PUT}
     * @param path the endpoint's path, e.g. {@code /api/v1/models/m/rollouts}
     * @param wrongType a body with one field of the wrong type, e.g. {@code {"steps": [{"weight": "high"}]}}
     * @param wrongField what the detail says of that field: {@code request body.steps[0].weight is not valid} where
     *     the body is read into a type (the JSON path Jackson reports), the service's own words where it reads the
     *     JSON itself
     */
    public record JsonEndpoint(String method, String path, String wrongType, String wrongField) {}

    /** Checks every clause on the endpoint and on an unknown route, reporting every clause that fails. */
    public void check(JsonEndpoint endpoint) {
        SoftAssertions softly = new SoftAssertions();

        problem(softly, "an unknown route", send("GET", "/api/v1/no-such-resource", null, null), 404);
        problem(softly, "a method the route does not take", send("PATCH", endpoint.path(), null, null), 405);
        problem(
                softly,
                "a body that is not its media type",
                send(endpoint.method(), endpoint.path(), "text/plain", "hello"),
                415);

        JsonNode notJson = problem(
                softly,
                "a body that is not JSON",
                send(endpoint.method(), endpoint.path(), "application/json", "{\"a\":"),
                400);
        softly.assertThat(detail(notJson))
                .as("a body that is not JSON: detail")
                .startsWith("request body")
                .contains("is not valid");

        JsonNode missing = problem(
                softly, "a missing body", send(endpoint.method(), endpoint.path(), "application/json", ""), 400);
        softly.assertThat(detail(missing))
                .as("a missing body: detail")
                .isEqualTo("request body is missing or not readable");

        JsonNode wrongType = problem(
                softly,
                "a field of the wrong type",
                send(endpoint.method(), endpoint.path(), "application/json", endpoint.wrongType()),
                400);
        softly.assertThat(detail(wrongType))
                .as("a field of the wrong type: detail")
                .contains(endpoint.wrongField());

        softly.assertAll();
    }

    /** Asserts the answer is a problem of this status; answers its body (an empty object when it is not JSON). */
    private static JsonNode problem(SoftAssertions softly, String what, HttpResponse<String> answer, int status) {
        softly.assertThat(answer.statusCode())
                .as(what + ": status (body %s)", answer.body())
                .isEqualTo(status);
        softly.assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                .as(what + ": content type")
                .startsWith("application/problem+json");
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (RuntimeException e) {
            softly.fail(what + ": the body is not JSON: " + answer.body());
            return JSON.createObjectNode();
        }
        softly.assertThat(body.path("status").asInt())
                .as(what + ": status in the body")
                .isEqualTo(status);
        softly.assertThat(body.path("title").asString("")).as(what + ": title").isNotBlank();
        softly.assertThat(body.path("detail").asString(""))
                .as(what + ": detail")
                .isNotBlank();
        return body;
    }

    private static String detail(JsonNode problem) {
        return problem.path("detail").asString("");
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        request.header("Accept", "application/json, application/problem+json");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
