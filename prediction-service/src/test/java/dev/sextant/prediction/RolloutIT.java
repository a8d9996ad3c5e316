package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.prediction.catalog.ModelCatalog;
import dev.sextant.registry.client.rollout.Assignment;
import dev.sextant.testsupport.OnnxModels;
import java.util.ArrayList;
import java.util.HashMap;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rollout held by a real model registry (its packaged jar) shares the service's traffic between versions: each
 * request goes where the registry client's {@link Assignment} sends its key, the answer says which version and role
 * answered, a growing canary keeps every key it already holds, and a rollback sends every key back to the champion.
 * Registry changes are picked up by calling the catalog's reconciliation (its schedule is an hour here).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sextant.prediction.reconcile-interval=1h",
            "spring.kafka.listener.auto-startup=false",
            "sextant.prediction.logs.buffer-capacity=4"
        })
@AutoConfigureRestTestClient
class RolloutIT {

    private static final int KEYS = 1_000;

    private static RegistryProcess registry;

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    @Autowired
    ModelCatalog catalog;

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry properties) throws Exception {
        registry = RegistryProcess.start();
        properties.add("sextant.prediction.registry.url", registry::url);
        int noKafka = dev.sextant.localservers.Ports.free();
        properties.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + noKafka);
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        registry.close();
    }

    @Test
    void aCanarySendsEachKeyWhereTheAssignmentSaysKeepsItsKeysAsItGrowsAndRollsBackToTheChampion() throws Exception {
        String model = "canary-" + System.nanoTime();
        RegistryProcess.Canary canary = registry.startCanary(model);
        int champion = canary.champion();
        int challenger = canary.challenger();
        JsonNode rollout = json.readTree(canary.rollout());
        long id = rollout.get("id").asLong();
        catalog.reconcile();

        Map<String, Integer> first = new HashMap<>();
        int toChallenger = 0;
        Assignment expected = RegistryProcess.assignment(rollout);
        for (int i = 0; i < KEYS; i++) {
            String card = "card-" + i;
            JsonNode answer = infer(model, card);
            int version = Integer.parseInt(answer.get("model_version").asString());
            assertThat(version).as(card).isEqualTo(expected.version(card));
            assertThat(answer.at("/parameters/role").asString())
                    .isEqualTo(version == challenger ? "challenger" : "champion");
            first.put(card, version);
            toChallenger += version == challenger ? 1 : 0;
        }
        assertThat((double) toChallenger).isCloseTo(0.3 * KEYS, within(4.5 * Math.sqrt(KEYS * 0.3 * 0.7)));

        JsonNode grown = json.readTree(registry.actOnRollout(model, id, "{\"action\": \"advance\", \"revision\": 1}"));
        catalog.reconcile();
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            String card = "card-" + i;
            int version =
                    Integer.parseInt(infer(model, card).get("model_version").asString());
            assertThat(version)
                    .as(card)
                    .isEqualTo(RegistryProcess.assignment(grown).version(card));
            if (first.get(card) == challenger) {
                assertThat(version).as("%s stays with the challenger", card).isEqualTo(challenger);
            } else if (version == challenger) {
                moved.add(card);
            }
        }
        assertThat((double) (toChallenger + moved.size()))
                .isCloseTo(0.6 * KEYS, within(4.5 * Math.sqrt(KEYS * 0.6 * 0.4)));

        JsonNode explicit = inferAt("/v2/models/" + model + "/versions/" + challenger + "/infer", "card-0");
        assertThat(explicit.at("/parameters/role").asString()).isEqualTo("explicit_version");

        registry.actOnRollout(model, id, "{\"action\": \"roll_back\", \"revision\": 2}");
        catalog.reconcile();
        for (int i = 0; i < 200; i++) {
            JsonNode answer = infer(model, "card-" + i);
            assertThat(answer.get("model_version").asString()).isEqualTo(String.valueOf(champion));
            assertThat(answer.at("/parameters/role").asString()).isEqualTo("champion");
        }
    }

    @Test
    void aRequestWithoutTheRolloutsKeyIsAssignedByItsIdAndCounted() throws Exception {
        String model = "unkeyed-" + System.nanoTime();
        int champion = registry.register(model, OnnxModels.logisticRegression(new float[] {1f, 2f}, 0f));
        int challenger = registry.register(model, OnnxModels.logisticRegression(new float[] {2f, 1f}, 0f));
        registry.setAlias(model, "champion", champion);
        JsonNode rollout = json.readTree(registry.startRollout(
                model,
                """
                {"strategy": "ab_test", "challengers": [%d], "key": "card_id",
                 "test": {"metric": "log_loss", "alpha": 0.05, "power": 0.8, "minimum_detectable_effect": 0.01}}"""
                        .formatted(challenger)));
        catalog.reconcile();

        for (int i = 0; i < 50; i++) {
            String id = "req-" + i;
            JsonNode answer = json.readTree(http.post()
                    .uri("/v2/models/" + model + "/infer")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"id\": \"" + id + "\", \"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\","
                            + " \"shape\": [1, 2], \"data\": [1, 1]}]}")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody(String.class)
                    .returnResult()
                    .getResponseBody());
            assertThat(Integer.parseInt(answer.get("model_version").asString()))
                    .isEqualTo(RegistryProcess.assignment(rollout).version(id));
        }
        assertThat(http.get()
                        .uri("/actuator/prometheus")
                        .exchange()
                        .expectBody(String.class)
                        .returnResult()
                        .getResponseBody())
                .containsPattern(
                        "sextant_prediction_rollout_unkeyed_total\\{[^}]*model=\"" + model + "\"[^}]*} 50(\\.0)?\n");
    }

    private JsonNode infer(String model, String card) {
        return inferAt("/v2/models/" + model + "/infer", card);
    }

    private JsonNode inferAt(String path, String card) {
        return json.readTree(http.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"parameters\": {\"card_id\": \"" + card + "\"}, \"inputs\": [{\"name\": \"features\","
                        + " \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, 1]}]}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    }
}
