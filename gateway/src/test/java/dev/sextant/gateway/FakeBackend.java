package dev.sextant.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.localservers.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A backend service stand-in for the gateway's tests, where the backend is not the subject: answers every
 * request with JSON naming itself and echoing the method, path, query, body size and headers it received. A test
 * can make it slow, make its next answers fail with a status, or stop it (connections refused) and start it
 * again on the same port.
 */
final class FakeBackend implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final int port;
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger failureStatus = new AtomicInteger(502);
    private final AtomicInteger requests = new AtomicInteger();
    private final ConcurrentLinkedQueue<Map<String, String>> received = new ConcurrentLinkedQueue<>();
    private HttpServer server;

    FakeBackend(String name) {
        this.name = name;
        this.port = Ports.free();
        start();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    void start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
    }

    /** Stops listening: connections are refused until {@link #start()}. */
    void stop() {
        server.stop(0);
    }

    void delay(Duration delay) {
        this.delay.set(delay);
    }

    /** The next {@code count} requests are answered with {@code status}. */
    void failNext(int count, int status) {
        failureStatus.set(status);
        failures.set(count);
    }

    int requests() {
        return requests.get();
    }

    /** The headers of the latest request, by lower-case name. */
    Map<String, String> lastHeaders() {
        Map<String, String> last = null;
        for (Map<String, String> headers : received) {
            last = headers;
        }
        return last;
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((key, values) -> headers.put(key.toLowerCase(), String.join(",", values)));
        received.add(headers);
        try {
            Thread.sleep(delay.get().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int status = failures.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? failureStatus.get() : 200;
        Map<String, Object> answer = new TreeMap<>();
        answer.put("backend", name);
        answer.put("method", exchange.getRequestMethod());
        answer.put("path", exchange.getRequestURI().getRawPath());
        answer.put("query", exchange.getRequestURI().getRawQuery());
        answer.put("body_bytes", body.length);
        answer.put("headers", headers);
        byte[] json = JSON.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
