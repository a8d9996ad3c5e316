package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.contracts.EventContracts;
import dev.sextant.prediction.catalog.ModelCatalog;
import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.OnnxModels;
import dev.sextant.testsupport.RedisServer;
import dev.sextant.testsupport.WithKafka;
import dev.sextant.testsupport.WithRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every prediction reaches prediction-logs.v1 on a real Kafka broker, which the service creates the topic on. */
@WithKafka
@WithRedis
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sextant.prediction.reconcile-interval=1h", "spring.kafka.listener.auto-startup=false"})
@AutoConfigureRestTestClient
class PredictionLogsIT {

    private static RegistryProcess registry;

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    @Autowired
    ModelCatalog catalog;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry properties) throws Exception {
        registry = RegistryProcess.start();
        properties.add("sextant.prediction.registry.url", registry::url);
        properties.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
        properties.add("spring.data.redis.url", () -> RedisServer.shared().url());
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        registry.close();
    }

    @Test
    void eachPredictionIsLoggedWithItsInputsOutputsVersionLatencyAndTrace() throws Exception {
        String model = "logged-" + System.nanoTime();
        int version = registry.register(model, OnnxModels.logisticRegression(new float[] {1f, 2f}, 0f));
        registry.setAlias(model, "champion", version);
        catalog.reconcile();
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";

        http.post()
                .uri("/v2/models/" + model + "/infer")
                .contentType(MediaType.APPLICATION_JSON)
                .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                .body("{\"id\": \"log-1\", \"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\","
                        + " \"shape\": [1, 2], \"data\": [1, 1]}]}")
                .exchange()
                .expectStatus()
                .isOk();

        ConsumerRecord<String, String> record = consume(model);
        assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.US_ASCII))
                .as("the trace context goes on in a header")
                .isEqualTo("00-" + trace + "-00f067aa0ba902b7-01");
        JsonNode logged = json.readTree(record.value());
        assertThat(logged.get("schema_version").asInt()).isEqualTo(1);
        assertThat(logged.has("traceparent")).isFalse();
        assertThat(logged.get("request_id").asString()).isEqualTo("log-1");
        assertThat(logged.get("version").asInt()).isEqualTo(version);
        assertThat(logged.get("traffic_role").asString()).isEqualTo("champion");
        assertThat(logged.get("api").asString()).isEqualTo("oip");
        assertThat(logged.get("trace_id").asString()).isEqualTo(trace);
        assertThat(logged.at("/inputs/0").toString())
                .isEqualTo("{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1.0,1.0]}");
        assertThat(logged.at("/outputs/0/name").asString()).isEqualTo("probability");
        assertThat(logged.at("/outputs/0/data/0").floatValue()).isEqualTo((float) (1 / (1 + Math.exp(-3))));
        assertThat(logged.at("/latency_ms/total").asDouble()).isPositive();
        assertThat(logged.at("/latency_ms/inference").asDouble())
                .isPositive()
                .isLessThanOrEqualTo(logged.at("/latency_ms/total").asDouble());
        assertThat(logged.get("time").asString()).endsWith("Z");
    }

    @Test
    void domainPredictionsAreLoggedWithEntityKeysAndTheFeaturesUsed() throws Exception {
        String model = "domain-logged-" + System.nanoTime();
        registry.setAlias(
                model,
                "champion",
                registry.register(
                        model,
                        OnnxModels.logisticRegression(new float[] {1f, 0.01f}, 0f),
                        """
                        {"features": [{"ref": "request:amount", "default": 0},
                                      {"ref": "card_profile:card_age_days", "default": 365}]}"""));
        catalog.reconcile();

        http.post()
                .uri("/api/v1/predict/" + model)
                .contentType(MediaType.APPLICATION_JSON)
                .body(
                        """
                        {"id": "domain-1", "rows": [{"entities": {"card_id": "never-seen-1"}, "request": {"amount": 10}},
                                                    {"entities": {"card_id": "never-seen-2"}}]}""")
                .exchange()
                .expectStatus()
                .isOk();

        ConsumerRecord<String, String> record = consume(model);
        assertThat(record.headers().lastHeader("traceparent"))
                .as("no trace context, no header")
                .isNull();
        JsonNode logged = json.readTree(record.value());
        assertThat(logged.get("request_id").asString()).isEqualTo("domain-1");
        assertThat(logged.get("api").asString()).isEqualTo("predict");
        assertThat(logged.has("inputs")).isFalse();
        assertThat(logged.get("entity_keys").toString()).isEqualTo("{\"card_id\":[\"never-seen-1\",\"never-seen-2\"]}");
        assertThat(logged.get("features").toString())
                .isEqualTo("[{\"name\":\"request:amount\",\"values\":[10,0],\"defaulted\":[false,true]},"
                        + "{\"name\":\"card_profile:card_age_days\",\"values\":[365,365],\"defaulted\":[true,true]}]");
        assertThat(logged.get("degraded").asBoolean()).isFalse();
        assertThat(logged.at("/outputs/0/shape").toString()).isEqualTo("[2,1]");
        assertThat(logged.at("/latency_ms/features").asDouble()).isPositive();
    }

    /** The model's log as the broker has it, held to the topic's contract. */
    private ConsumerRecord<String, String> consume(String model) {
        ConsumerRecord<String, String> record = KafkaBroker.shared()
                .awaitRecord("prediction-logs.v1", candidate -> model.equals(candidate.key()), Duration.ofSeconds(30));
        EventContracts.assertConforms("prediction-logs.v1", record.value());
        return record;
    }
}
