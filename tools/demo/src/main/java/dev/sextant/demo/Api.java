package dev.sextant.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the demo talks to the platform: HTTP/1.1 with keep-alive (as a load generator talks to a gateway), the API
 * key of the administrator for changes and of the predicting client for predictions and reads, answers checked
 * against the expected status, and the few JSON fields the demo prints picked out by pattern (the demo shows the
 * services' JSON as it is; it does not model it).
 */
final class Api {

    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final String MODEL = "fraud-detector";
    static final String ADMIN_KEY = System.getenv().getOrDefault("SEXTANT_ADMIN_KEY", "");
    static final String PREDICT_KEY = System.getenv().getOrDefault("SEXTANT_PREDICT_KEY", "");

    private Api() {}

    static String put(String url, int version, String reason) throws Exception {
        return send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("X-Sextant-Actor", "demo")
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                "{\"version\": " + version + ", \"reason\": \"" + reason + "\"}")),
                200,
                ADMIN_KEY);
    }

    static String post(String url, String key, String json) throws Exception {
        return send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)),
                200,
                key);
    }

    static String get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), 200, PREDICT_KEY);
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

    /** Waits until the URL answers 200 (a service's readiness, a version the prediction service serves). */
    static void awaitOk(String url, Duration patience) throws InterruptedException {
        await("not answering 200 within " + patience.toSeconds() + " s: " + url, patience, () -> {
            try {
                return HTTP.send(
                                        HttpRequest.newBuilder(URI.create(url)).build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200;
            } catch (IOException e) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** Polls {@code condition} every 250 ms until it holds; past {@code patience}, fails with {@code failure}. */
    static void await(String failure, Duration patience, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException(failure);
            }
            Thread.sleep(250);
        }
    }

    /** A request whose answer is polled. */
    interface Fetch {
        String get() throws Exception;
    }

    /**
     * Fetches every 250 ms until {@code done} holds for the answer, and answers it; past {@code patience}, fails with
     * {@code failure} and the last answer.
     */
    static String poll(String failure, Duration patience, Fetch fetch, java.util.function.Predicate<String> done)
            throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        String answer = fetch.get();
        while (!done.test(answer)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(failure + ": " + answer);
            }
            Thread.sleep(250);
            answer = fetch.get();
        }
        return answer;
    }

    static void step(String message) {
        System.out.println("\n==> " + message);
    }

    static void detail(String message) {
        System.out.println("    " + message);
    }

    static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return matcher.find() ? matcher.group(1) : "?";
    }

    static int intField(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** The first number named {@code name} after {@code anchor} in the JSON. */
    static String after(String json, String anchor, String name) {
        int from = json.indexOf(anchor);
        Matcher matcher = Pattern.compile("\"" + name + "\":([-0-9.Ee]+)").matcher(json);
        return from >= 0 && matcher.find(from) ? matcher.group(1) : "?";
    }

    static String between(String json, String start, String end) {
        int from = json.indexOf(start);
        int to = from < 0 ? -1 : json.indexOf(end, from + start.length());
        return from < 0 || to < 0 ? "?" : json.substring(from + start.length(), to);
    }
}
