package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.localservers.Ports;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A replica whose models are not loaded (the registry cannot be reached) is alive but not ready: the readiness
 * probe Kubernetes and compose use answers 503, so it takes no traffic. InferenceApiIT checks the ready side.
 * Redis is down too: the online store's warm-up does not hold the service back.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sextant.prediction.reconcile-interval=1h", "spring.kafka.listener.auto-startup=false"})
@AutoConfigureRestTestClient
class ReadinessIT {

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    /** The registry, Kafka and Redis at ports nothing listens on. */
    @DynamicPropertySource
    static void nothingListens(DynamicPropertyRegistry properties) {
        int registry = Ports.free();
        properties.add("sextant.prediction.registry.url", () -> "http://127.0.0.1:" + registry);
        int kafka = Ports.free();
        properties.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + kafka);
        int redis = Ports.free();
        properties.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + redis);
    }

    @Test
    void isNotReadyBeforeItsModelsAreLoaded() {
        JsonNode readiness = json.readTree(http.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
        assertThat(readiness.at("/components/models/status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(readiness.at("/components/models/details/reason").asString())
                .contains("the model registry has not been read");
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        http.get().uri("/v2/health/ready").exchange().expectStatus().isEqualTo(503);
    }
}
