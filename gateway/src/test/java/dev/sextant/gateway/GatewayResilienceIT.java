package dev.sextant.gateway;

import static dev.sextant.gateway.GatewayTestSupport.ADMIN_KEY;
import static dev.sextant.gateway.GatewayTestSupport.LIMITED_KEY;
import static dev.sextant.gateway.GatewayTestSupport.PREDICT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the gateway does when clients or backends misbehave: per-client rate limits in a real Redis (and serving
 * on, counted, while Redis is down), route timeouts, circuit breakers that open on a failing backend and close
 * when it recovers, and retries of reads only.
 */
class GatewayResilienceIT extends GatewayIntegrationTest {

    @Test
    void limitsEachClientToItsBucketWithRetryAfterWhileOthersPassOn() {
        // the client "limited" has a bucket of 2 (refilled 1 a second); the first requests drain it
        WebTestClient.ResponseSpec limited = null;
        for (int i = 0; i < 4 && limited == null; i++) {
            WebTestClient.ResponseSpec response = get("/v2/models/fraud", LIMITED_KEY);
            if (response.returnResult(String.class).getStatus().value() == 429) {
                limited = response;
            } else {
                response.expectStatus().isOk().expectHeader().exists("X-RateLimit-Remaining");
            }
        }
        assertThat(limited).as("a request over the bucket is refused").isNotNull();
        limited.expectHeader()
                .valueEquals("Retry-After", "1")
                .expectHeader()
                .valueEquals("X-RateLimit-Remaining", "0")
                .expectHeader()
                .valueEquals("X-RateLimit-Burst-Capacity", "2")
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(429)
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail)
                        .startsWith("client 'limited' is over its rate limit on route 'prediction-reads'"));
        // another client's bucket is its own
        get("/v2/models/fraud", PREDICT_KEY)
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-RateLimit-Burst-Capacity", "400");
        // and the limited client may go on once its bucket refills
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() ->
                        get("/v2/models/fraud", LIMITED_KEY).expectStatus().isOk());
    }

    @Test
    void recordsNoObservationAroundTheRateLimitersRedisCommands() {
        get("/v2/models/fraud", PREDICT_KEY)
                .expectStatus()
                .isOk()
                .expectHeader()
                .exists("X-RateLimit-Remaining");
        List<String> metrics = prometheus();
        assertThat(metrics).anyMatch(line -> line.startsWith("sextant_gateway_rate_limit_requests_total"));
        // a timer (and a span) per command would cost every request on the hot path; Redis' own latency is the
        // rate limiter's timeout and fail-open counter
        assertThat(metrics).as("no Lettuce command metrics").noneMatch(line -> line.toLowerCase(java.util.Locale.ROOT)
                .contains("lettuce"));
    }

    @Test
    void takesTokensFromItsCopyOfABucketAndSynchronisesItWithRedisNowAndThen() {
        get("/v2/models/fraud", PREDICT_KEY).expectStatus().isOk();
        long before = bucketCommands();
        int requests = 40;
        for (int i = 0; i < requests; i++) {
            get("/v2/models/fraud", PREDICT_KEY)
                    .expectStatus()
                    .isOk()
                    .expectHeader()
                    .exists("X-RateLimit-Remaining");
        }
        // a replica may take 5 % of the bucket (20 tokens) before it writes them to Redis (a GET and a
        // compare-and-swap): a round trip per request would be 40 commands
        assertThat(bucketCommands() - before).isLessThanOrEqualTo(requests / 2);
    }

    @Test
    void keepsServingWithoutLimitsWhileRedisIsDownAndCountsIt() {
        double before = failOpenCount();
        REDIS.stop();
        try {
            // the replica's copy of the bucket serves until its next synchronisation fails; from then on requests
            // pass unlimited
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> get("/v2/models/fraud", LIMITED_KEY)
                                    .returnResult(String.class)
                                    .getResponseHeaders()
                                    .getFirst("X-RateLimit-Remaining")
                            == null);
            long started = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                get("/v2/models/fraud", LIMITED_KEY)
                        .expectStatus()
                        .isOk()
                        .expectHeader()
                        .doesNotExist("X-RateLimit-Remaining");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(failOpenCount()).isGreaterThanOrEqualTo(before + 5);
        } finally {
            REDIS.start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get("/v2/models/fraud", PREDICT_KEY)
                .expectStatus()
                .isOk()
                .expectHeader()
                .exists("X-RateLimit-Remaining"));
    }

    @Test
    void answersA504ProblemWhenABackendIsSlowerThanTheRouteTimeout() {
        FakeBackend prediction = backend("prediction-service");
        // the prediction route's timeout is 2 s: an answer well before the backend's proves the timeout gave it,
        // with room for a loaded machine
        prediction.delay(Duration.ofSeconds(25));
        try {
            long started = System.nanoTime();
            http.post()
                    .uri("/v2/models/fraud/infer")
                    .headers(auth(PREDICT_KEY))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{}")
                    .exchange()
                    .expectStatus()
                    .isEqualTo(504)
                    .expectBody()
                    .jsonPath("$.detail")
                    .isEqualTo("the backend of route 'prediction' did not answer within the route's timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(12));
        } finally {
            prediction.delay(Duration.ZERO);
        }
    }

    @Test
    void opensTheCircuitOnADownBackendAnsweringFast503sAndClosesItWhenTheBackendRecovers() {
        FakeBackend monitoring = backend("monitoring");
        monitoring.stop();
        try {
            // the breaker opens after 4 calls (tests' setting), at least half of them failed
            for (int i = 0; i < 4; i++) {
                get("/api/v1/monitoring/models/fraud/drift", ADMIN_KEY)
                        .expectStatus()
                        .isEqualTo(503)
                        .expectBody()
                        .jsonPath("$.detail")
                        .isEqualTo("the backend of route 'monitoring' cannot be reached");
            }
            get("/api/v1/monitoring/models/fraud/drift", ADMIN_KEY)
                    .expectStatus()
                    .isEqualTo(503)
                    .expectBody()
                    .jsonPath("$.detail")
                    .value(detail -> assertThat((String) detail).contains("circuit breaker is open"));
            // other backends are not affected
            get("/api/v1/training/jobs", ADMIN_KEY).expectStatus().isOk();
        } finally {
            monitoring.start();
        }
        int before = monitoring.requests();
        get("/api/v1/monitoring/models/fraud/drift", ADMIN_KEY).expectStatus().isEqualTo(503);
        assertThat(monitoring.requests()).as("an open circuit sends nothing on").isEqualTo(before);
        // after the open state's 2 s, trial calls go through and close the circuit
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> get("/api/v1/monitoring/models/fraud/drift", ADMIN_KEY)
                        .expectStatus()
                        .isOk());
        for (int i = 0; i < 5; i++) {
            get("/api/v1/monitoring/models/fraud/drift", ADMIN_KEY)
                    .expectStatus()
                    .isOk();
        }
    }

    @Test
    void retriesReadsOnABadGatewayButNeverWrites() {
        FakeBackend registry = backend("model-registry");
        registry.failNext(1, 502);
        int before = registry.requests();
        get("/api/v1/models/fraud", ADMIN_KEY).expectStatus().isOk();
        assertThat(registry.requests() - before).isEqualTo(2);

        registry.failNext(1, 502);
        before = registry.requests();
        http.put()
                .uri("/api/v1/models/fraud/aliases/champion")
                .headers(auth(ADMIN_KEY))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"version\": 2}")
                .exchange()
                .expectStatus()
                .isEqualTo(502);
        assertThat(registry.requests() - before).isEqualTo(1);
    }

    private WebTestClient.ResponseSpec get(String path, String key) {
        return http.get().uri(path).headers(auth(key)).exchange();
    }

    private double failOpenCount() {
        return prometheus().stream()
                .filter(line -> line.startsWith("sextant_gateway_rate_limit_requests_total")
                        && line.contains("outcome=\"fail_open\"")
                        && line.contains("route=\"prediction-reads\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The calls of the commands Bucket4j's buckets are made of, as Redis counts them. */
    private static long bucketCommands() {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(REDIS.url());
        try (var connection = client.connect()) {
            return connection
                    .sync()
                    .info("commandstats")
                    .lines()
                    .filter(line -> line.startsWith("cmdstat_get:")
                            || line.startsWith("cmdstat_eval:")
                            || line.startsWith("cmdstat_evalsha:"))
                    .mapToLong(line -> Long.parseLong(line.replaceFirst("^[^:]*:calls=(\\d+),.*", "$1")))
                    .sum();
        } finally {
            client.shutdown();
        }
    }

    private List<String> prometheus() {
        return http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody()
                .lines()
                .toList();
    }
}
