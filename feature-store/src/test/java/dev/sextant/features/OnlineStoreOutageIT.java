package dev.sextant.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.testsupport.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Redis goes away under a running feature store: reads and pushes answer a 503 problem at once, health says
 * DOWN, readiness stays UP; when Redis returns the same service serves again by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class OnlineStoreOutageIT {

    private static final RedisServer REDIS = RedisServer.startDedicated();

    @Autowired
    RestTestClient http;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", REDIS::url);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Test
    void aRedisOutageIsA503AndTheServiceRecoversByItself() {
        Map<String, Object> row =
                Map.of("card_id", "c1", "event_timestamp", Instant.now().toString(), "is_premium", true);
        push(row).expectStatus().isOk();
        read().expectStatus().isOk();

        REDIS.stop();
        long started = System.nanoTime();
        read().expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("the online store (Redis) is unavailable; retry later");
        push(row).expectStatus().isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        http.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503);
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();

        REDIS.start();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> push(row).expectStatus().isOk());
        read().expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.results[1].values[0]")
                .isEqualTo(true);
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    private RestTestClient.ResponseSpec read() {
        return http.post()
                .uri("/api/v1/features/online")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of(
                        "features", List.of("card_profile:is_premium"), "entities", Map.of("card_id", List.of("c1"))))
                .exchange();
    }

    private RestTestClient.ResponseSpec push(Map<String, Object> row) {
        return http.post()
                .uri("/api/v1/features/push")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("feature_view", "card_profile", "rows", List.of(row)))
                .exchange();
    }
}
