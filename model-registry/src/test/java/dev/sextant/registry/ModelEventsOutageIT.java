package dev.sextant.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.localservers.Ports;
import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
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
 * Kafka is down when the registry starts and while models are registered and promoted: the API keeps
 * working, health reports the backlog as DEGRADED (readiness stays UP), and once a broker appears on the
 * configured address every event is delivered, in order, and health returns to UP.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sextant.registry.events.relay-interval=100ms",
            "sextant.registry.events.degraded-after=1s",
            "spring.kafka.producer.properties.max.block.ms=1000"
        })
@AutoConfigureRestTestClient
class ModelEventsOutageIT {

    private static final int KAFKA_PORT = Ports.free();
    private static KafkaBroker kafka;

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        String dataDir = Files.createTempDirectory("registry-outage").toString();
        registry.add("sextant.registry.data-dir", () -> dataDir);
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + KAFKA_PORT);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void eventsCommittedWhileKafkaIsDownAreDeliveredInOrderWhenItReturns() {
        RegistryTestClient client = new RegistryTestClient(http, json);
        String name = RegistryTestClient.uniqueName("outage");
        client.register(name, OnnxModels.logisticRegression(new float[] {1f, 2f}, 0f), null);
        client.register(name, OnnxModels.logisticRegression(new float[] {2f, 1f}, 0f), null);
        client.setAlias(name, "champion", 2, "alice").expectStatus().isOk();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode events = client.getJson("/actuator/health").at("/components/modelEvents");
            assertThat(events.get("status").asString()).isEqualTo("DEGRADED");
            assertThat(events.at("/details/pending").asInt()).isEqualTo(3);
            assertThat(events.at("/details/lastError").asString()).isNotBlank();
        });
        assertThat(client.getJson("/actuator/health").get("status").asString()).isEqualTo("DEGRADED");
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();

        kafka = KafkaBroker.startDedicated(KAFKA_PORT);

        List<JsonNode> events = client.consumeEvents(kafka.bootstrapServers(), name, 3);
        assertThat(events)
                .extracting(event -> event.get("type").asString())
                .containsExactly("VERSION_REGISTERED", "VERSION_REGISTERED", "ALIAS_SET");
        assertThat(events).extracting(event -> event.get("version").asInt()).containsExactly(1, 2, 2);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode health = client.getJson("/actuator/health").at("/components/modelEvents");
            assertThat(health.get("status").asString()).isEqualTo("UP");
            assertThat(health.at("/details/pending").asInt()).isZero();
        });
    }
}
