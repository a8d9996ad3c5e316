package dev.sextant.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the demo talks to the platform: HTTP/1.1 with keep-alive (as a load generator talks to a gateway), the API
 * key of the administrator for changes and of the predicting client for predictions and reads, answers checked
 * against the expected status and read as JSON (Jackson's tree: the demo shows the services' JSON as it is, it does
 * not model it), and one way to wait: {@link #poll}.
 */
final class Api {

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String MODEL = "fraud-detector";
    static final String ADMIN_KEY = System.getenv().getOrDefault("SEXTANT_ADMIN_KEY", "");
    static final String PREDICT_KEY = System.getenv().getOrDefault("SEXTANT_PREDICT_KEY", "");

    private Api() {}

    /** Points an alias at a version, as the demo's administrator. */
    static JsonNode put(String url, int version, String reason) throws Exception {
        return json(send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("X-Sextant-Actor", "demo")
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(java.util.Map.of("version", version, "reason", reason)))),
                200,
                ADMIN_KEY));
    }

    static JsonNode post(String url, String key, String json) throws Exception {
        return json(send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)),
                200,
                key));
    }

    static JsonNode get(String url) throws Exception {
        return json(send(HttpRequest.newBuilder(URI.create(url)).GET(), 200, PREDICT_KEY));
    }

    /** Sends with the API key (none when empty) and answers the body, unless the status is not the expected one. */
    static String send(HttpRequest.Builder request, int expected, String key) throws Exception {
        if (!key.isEmpty()) {
            request.header("X-API-Key", key);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(
                    "expected HTTP " + expected + " but got " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    /** A text field of a JSON object, or {@code ?} when it has none. */
    static String text(JsonNode node, String field) {
        return node.path(field).asString("?");
    }

    /** A number to 3 decimals, or {@code ?} when it is not a number. */
    static String rounded(JsonNode number) {
        return number != null && number.isNumber() ? String.format(Locale.ROOT, "%.3f", number.doubleValue()) : "?";
    }

    /** A request whose answer is polled. */
    interface Fetch<T> {
        T get() throws Exception;
    }

    /**
     * Fetches every 250 ms until {@code done} holds for the answer, and answers it; past {@code patience}, fails with
     * {@code failure} and the last answer. The demo's one way to wait for the platform.
     */
    static <T> T poll(String failure, Duration patience, Fetch<T> fetch, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        T answer = fetch.get();
        while (!done.test(answer)) {
            if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException(failure + ": " + answer);
            }
            Thread.sleep(250);
            answer = fetch.get();
        }
        return answer;
    }

    /** Waits until the URL answers 200 (a service's readiness, a version the prediction service serves). */
    static void awaitOk(String url, Duration patience) throws Exception {
        poll(
                "not answering 200 within " + patience.toSeconds() + " s at " + url,
                patience,
                () -> status(url),
                s -> s == 200);
    }

    private static int status(String url) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        }
    }

    static void step(String message) {
        System.out.println("\n==> " + message);
    }

    static void detail(String message) {
        System.out.println("    " + message);
    }
}
