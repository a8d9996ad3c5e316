package dev.sextant.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = AdmissionFilterTest.App.class,
        properties = {
            "sextant.admission.initial-limit=2",
            "sextant.admission.min-limit=2",
            "sextant.admission.max-limit=2",
            "sextant.admission.retry-after=2s",
            "spring.application.name=scorer"
        })
class AdmissionFilterTest {

    /** Requests to /api/slow wait for this: they hold their permits until the test lets them go. */
    static volatile CountDownLatch release = new CountDownLatch(1);

    static final CountDownLatch entered = new CountDownLatch(2);

    @LocalServerPort
    int port;

    @Autowired
    Admission admission;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void letGo() {
        release.countDown();
    }

    @Test
    void aRequestBeyondTheLimitIsRefusedAtOnceWithRetryAfterAndTheLimitNamed() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> holding = List.of(sendAsync("/api/slow"), sendAsync("/api/slow"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(admission.inflight()).isEqualTo(2);

        long started = System.nanoTime();
        HttpResponse<String> refused = send("/api/fast");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body())
                .contains("\"status\":503")
                .contains("scorer is at its concurrency limit (2 requests in flight); retry in 2 s")
                .contains("\"instance\":\"/api/fast\"");

        assertThat(send("/health").statusCode())
                .as("paths outside the API are never refused")
                .isEqualTo(200);

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> request : holding) {
            assertThat(request.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(admission.inflight()).as("every permit given back").isZero();
        assertThat(send("/api/fast").statusCode()).isEqualTo(200);
    }

    @Test
    void limitsThatCannotHoldAreRefusedWithTheSettingNamed() {
        assertThatThrownBy(() -> new AdmissionProperties(true, 10, 20, 64, 2, List.of("/api/"), Duration.ofSeconds(1)))
                .hasMessageContaining("1 <= min-limit <= initial-limit <= max-limit, got 20, 10, 64");
        assertThatThrownBy(() -> new AdmissionProperties(true, 10, 4, 64, 0.5, List.of("/api/"), Duration.ofSeconds(1)))
                .hasMessageContaining("rtt-tolerance must be at least 1, got 0.5");
        assertThatThrownBy(() -> new AdmissionProperties(true, 10, 4, 64, 2, List.of("/api/"), Duration.ofMillis(10)))
                .hasMessageContaining("retry-after must be at least 1s");
    }

    private HttpResponse<String> send(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String path) {
        return http.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    @SpringBootApplication
    @RestController
    static class App {

        @GetMapping("/api/slow")
        String slow() throws InterruptedException {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            return "slow";
        }

        @GetMapping("/api/fast")
        String fast() {
            return "fast";
        }

        @GetMapping("/health")
        String health() {
            return "up";
        }
    }
}
