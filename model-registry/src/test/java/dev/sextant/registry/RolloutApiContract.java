package dev.sextant.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.OnnxModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rollout API's contract (ADR 0008), run against a real Kafka broker and each metadata database (subclasses):
 * rollouts persist, change only by actions decided on their current revision, move the champion alias when they
 * promote, and announce every change on model-events.v1.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sextant.registry.events.relay-interval=100ms"})
@AutoConfigureRestTestClient
abstract class RolloutApiContract {

    static final byte[] MODEL_A = OnnxModels.logisticRegression(new float[] {0.5f, -1f, 2f}, 0.1f);
    static final byte[] MODEL_B = OnnxModels.logisticRegression(new float[] {0.7f, -1f, 2f}, 0.2f);
    static final byte[] MODEL_C = OnnxModels.logisticRegression(new float[] {0.6f, -1f, 2f}, 0.3f);
    static final byte[] FOUR_INPUTS = OnnxModels.logisticRegression(new float[] {0.6f, -1f, 2f, 1f}, 0.3f);

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    @Test
    void aCanaryAdvancesOnItsCurrentRevisionAndItsPromotionMovesTheChampion() {
        String name = modelWithChampion("canary", MODEL_B);
        JsonNode started = start(
                name,
                Map.of(
                        "strategy",
                        "canary",
                        "challengers",
                        List.of(2),
                        "key",
                        "card_id",
                        "steps",
                        List.of(Map.of("weight", 5), Map.of("weight", 50, "min_labels", 200)),
                        "guards",
                        Map.of(
                                "max_latency_ratio",
                                1.5,
                                "quality",
                                Map.of("metric", "roc_auc", "max_degradation", 0.02, "alpha", 0.05)),
                        "reason",
                        "retrained after drift"));
        long id = started.get("id").asLong();
        assertThat(started.get("state").asString()).isEqualTo("running");
        assertThat(started.get("revision").asInt()).isEqualTo(1);
        assertThat(started.get("key").asString()).isEqualTo("card_id");
        assertThat(started.get("salt").asString()).startsWith(name + "/");
        assertThat(weights(started)).containsExactly("1:champion:95.0", "2:challenger:5.0");
        assertThat(client().getJson("/api/v1/models/" + name + "/rollouts/active")
                        .get("id")
                        .asLong())
                .isEqualTo(id);

        JsonNode second =
                act(name, id, Map.of("action", "advance", "revision", 1, "evidence", Map.of("requests", 1200)));
        assertThat(second.get("revision").asInt()).isEqualTo(2);
        assertThat(second.get("step").asInt()).isEqualTo(1);
        assertThat(weights(second)).containsExactly("1:champion:50.0", "2:challenger:50.0");
        client().expectProblem(action(name, id, Map.of("action", "advance", "revision", 1)), 409, "is at revision 2");

        JsonNode promoted = act(name, id, Map.of("action", "advance", "revision", 2, "reason", "quality holds"));
        assertThat(promoted.get("state").asString()).isEqualTo("promoted");
        assertThat(weights(promoted)).containsExactly("2:champion:100.0");
        assertThat(promoted.get("ended_at").isNull()).isFalse();
        assertThat(promoted.get("history"))
                .extracting(change -> change.get("action").asString())
                .containsExactly("advance", "advance", "start");
        assertThat(promoted.at("/history/1/evidence/requests").asInt()).isEqualTo(1200);

        JsonNode champion = client().getJson("/api/v1/models/" + name + "/aliases/champion");
        assertThat(champion.get("version").asInt()).isEqualTo(2);
        assertThat(client().getJson("/api/v1/models/" + name + "/aliases/champion/history")
                        .at("/history/0/reason")
                        .asString())
                .isEqualTo("promoted by rollout " + id + ": quality holds");
        http.get()
                .uri("/api/v1/models/{name}/rollouts/active", name)
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void aBlueGreenSwitchMovesAllTrafficAtOnceAndRollsBackInOneCallWithoutTouchingTheChampion() {
        String name = modelWithChampion("bluegreen", MODEL_B);
        JsonNode started = start(name, Map.of("strategy", "blue_green", "challengers", List.of(2)));
        assertThat(weights(started)).containsExactly("1:champion:0.0", "2:challenger:100.0");

        JsonNode rolledBack = act(name, started.get("id").asLong(), Map.of("action", "roll_back", "revision", 1));

        assertThat(rolledBack.get("state").asString()).isEqualTo("rolled_back");
        assertThat(weights(rolledBack)).containsExactly("1:champion:100.0");
        assertThat(client().getJson("/api/v1/models/" + name + "/aliases/champion")
                        .get("version")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void everyRolloutChangeIsPublishedToModelEventsWithTheRolloutAsItIsNow() {
        String name = modelWithChampion("evented", MODEL_B);
        long id = start(name, Map.of("strategy", "shadow", "shadow", Map.of("version", 2, "share", 0.25)))
                .get("id")
                .asLong();
        act(name, id, Map.of("action", "pause", "revision", 1, "reason", "on call"));
        act(name, id, Map.of("action", "abort", "revision", 2));

        List<JsonNode> events = client().consumeEvents(KafkaBroker.shared().bootstrapServers(), name, 6);

        assertThat(events)
                .extracting(event -> event.get("type").asString())
                .containsExactly(
                        "VERSION_REGISTERED",
                        "VERSION_REGISTERED",
                        "ALIAS_SET",
                        "ROLLOUT_STARTED",
                        "ROLLOUT_CHANGED",
                        "ROLLOUT_ENDED");
        JsonNode started = events.get(3).get("rollout");
        assertThat(started.get("id").asLong()).isEqualTo(id);
        assertThat(started.get("strategy").asString()).isEqualTo("shadow");
        assertThat(started.at("/shadow/version").asInt()).isEqualTo(2);
        assertThat(started.at("/shadow/share").asDouble()).isEqualTo(0.25);
        assertThat(started.has("spec")).isFalse();
        assertThat(events.get(4).at("/rollout/state").asString()).isEqualTo("paused");
        assertThat(events.get(4).get("reason").asString()).isEqualTo("on call");
        assertThat(events.get(5).at("/rollout/state").asString()).isEqualTo("aborted");
        assertThat(events.get(5).at("/rollout/shadow").isMissingNode()).isTrue();
    }

    @Test
    void badRolloutsAre4xxProblemsThatNameTheProblemAndChangeNothing() {
        String name = uniqueName("refused");
        client().register(name, MODEL_A, null);
        client().register(name, MODEL_B, null);
        client().register(name, FOUR_INPUTS, null);
        Map<String, Object> canary =
                Map.of("strategy", "canary", "challengers", List.of(2), "steps", List.of(Map.of("weight", 5)));
        client().expectProblem(post(name, canary), 422, "has no champion to roll out against");
        client().setAlias(name, "champion", 1, "alice").expectStatus().isOk();

        client().expectProblem(post(name, Map.of("strategy", "linear")), 400, "strategy must be one of");
        client().expectProblem(
                        post(
                                name,
                                Map.of(
                                        "strategy",
                                        "canary",
                                        "challengers",
                                        List.of(3),
                                        "steps",
                                        List.of(Map.of("weight", 5)))),
                        422,
                        "challengers[0]: version 3 takes other inputs than the champion");
        client().expectProblem(
                        post(
                                name,
                                Map.of(
                                        "strategy",
                                        "canary",
                                        "challengers",
                                        List.of(9),
                                        "steps",
                                        List.of(Map.of("weight", 5)))),
                        422,
                        "has no version 9");
        client().expectProblem(
                        post(
                                name,
                                Map.of(
                                        "strategy",
                                        "canary",
                                        "challengers",
                                        List.of(2),
                                        "steps",
                                        List.of(Map.of("weight", 101)))),
                        400,
                        "steps[0].weight must be a percentage between 0 and 100, got 101.0");
        client().expectProblem(post(name, Map.of("strategy", "canary", "steps", "often")), 400, "steps");
        client().expectProblem(
                        http.post()
                                .uri("/api/v1/models/{name}/rollouts", "Bad Name")
                                .contentType(MediaType.APPLICATION_JSON)
                                .body(canary)
                                .exchange(),
                        400,
                        "invalid model name");
        assertThat(client().getJson("/api/v1/models/" + name + "/rollouts").get("rollouts"))
                .isEmpty();

        long id = start(name, canary).get("id").asLong();
        client().expectProblem(post(name, canary), 409, "already has rollout " + id + " running");
        client().expectProblem(client().setAlias(name, "champion", 2, "bob"), 409, "champion moves by its promotion");
        client().expectProblem(action(name, id, Map.of("action", "jump", "revision", 1)), 400, "action must be one of");
        client().expectProblem(action(name, id, Map.of("action", "pause")), 400, "revision is required");
        client().expectProblem(
                        action(name, id + 1000, Map.of("action", "pause", "revision", 1)),
                        404,
                        "has no rollout " + (id + 1000));
        client().expectProblem(
                        http.get()
                                .uri("/api/v1/models/{name}/rollouts/{id}", name, "abc")
                                .exchange(),
                        400,
                        "invalid rollout id 'abc'");

        JsonNode unchanged = client().getJson("/api/v1/models/" + name + "/rollouts/" + id);
        assertThat(unchanged.get("revision").asInt()).isEqualTo(1);
        assertThat(unchanged.get("history")).hasSize(1);
        assertThat(client().getJson("/api/v1/models/" + name + "/rollouts").get("rollouts"))
                .hasSize(1);
        assertThat(client().getJson("/api/v1/models/" + name + "/aliases/champion")
                        .get("version")
                        .asInt())
                .isEqualTo(1);
    }

    private String modelWithChampion(String prefix, byte[] challenger) {
        String name = uniqueName(prefix);
        client().register(name, MODEL_A, null);
        client().register(name, challenger, null);
        client().setAlias(name, "champion", 1, "alice").expectStatus().isOk();
        return name;
    }

    private JsonNode start(String name, Map<String, Object> body) {
        return json.readTree(post(name, body)
                .expectStatus()
                .isCreated()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
    }

    private RestTestClient.ResponseSpec post(String name, Map<String, Object> body) {
        return http.post()
                .uri("/api/v1/models/{name}/rollouts", name)
                .header("X-Sextant-Actor", "alice")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
    }

    private JsonNode act(String name, long id, Map<String, Object> body) {
        return json.readTree(action(name, id, body)
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
    }

    private RestTestClient.ResponseSpec action(String name, long id, Map<String, Object> body) {
        return http.post()
                .uri("/api/v1/models/{name}/rollouts/{id}/actions", name, id)
                .header("X-Sextant-Actor", "monitoring")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
    }

    /** Each arm as version:role:weight. */
    private static List<String> weights(JsonNode rollout) {
        return rollout.get("arms")
                .valueStream()
                .map(arm -> arm.get("version").asInt() + ":" + arm.get("role").asString() + ":"
                        + arm.get("weight").asDouble())
                .toList();
    }

    private static String uniqueName(String prefix) {
        return RegistryTestClient.uniqueName(prefix);
    }

    private RegistryTestClient client() {
        return new RegistryTestClient(http, json);
    }
}
