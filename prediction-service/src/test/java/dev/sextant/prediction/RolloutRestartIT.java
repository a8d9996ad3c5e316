package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.registry.client.rollout.Assignment;
import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.RedisServer;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import dev.sextant.testsupport.WithRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A canary survives crashes of the services that hold and apply it, as real processes: the registry's packaged jar
 * and this module's. Every card goes to the version the registry client's {@link Assignment} gives it; after
 * {@code kill -9} of both and their restart, the registry holds the rollout as it was (id, revision, salt, weights)
 * and the new prediction service sends every card where the first did; the next step, taken on the restarted
 * registry, reaches the restarted service within seconds and moves no card off the challenger.
 */
@WithKafka
@WithRedis
class RolloutRestartIT {

    private static final int CARDS = 200;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aCanarysAssignmentSurvivesKillingTheRegistryAndThePredictionServiceAndItsNextStepMovesNoChallengerCard()
            throws Exception {
        String model = "restarted-" + System.nanoTime();
        try (RegistryProcess registry =
                RegistryProcess.start(KafkaBroker.shared().bootstrapServers())) {
            RegistryProcess.Canary canary = registry.startCanary(model);
            int champion = canary.champion();
            int challenger = canary.challenger();
            JsonNode started = JSON.readTree(canary.rollout());
            long rollout = started.get("id").asLong();
            Assignment first = RegistryProcess.assignment(started);

            Map<String, Integer> before = new HashMap<>();
            String probe = cardOn(first, challenger, card -> true);
            ServiceJar service = predictionService(registry);
            try {
                awaitAssigned(service, model, probe, challenger);
                for (int i = 0; i < CARDS; i++) {
                    JsonNode answer = infer(service, model, card(i));
                    before.put(card(i), answer.get("model_version").asInt());
                    assertThat(answer.get("model_version").asInt())
                            .as("card %d as the registry client assigns it", i)
                            .isEqualTo(first.version(card(i)));
                }
            } finally {
                service.kill();
            }
            assertThat(before.values()).contains(champion, challenger);

            registry.crashAndRestart();
            JsonNode kept = JSON.readTree(registry.activeRollout(model));
            assertThat(kept.get("id").asLong()).isEqualTo(rollout);
            assertThat(kept.get("revision").asInt()).isEqualTo(1);
            assertThat(kept.get("salt").asString())
                    .isEqualTo(started.get("salt").asString());
            assertThat(kept.get("arms")).isEqualTo(started.get("arms"));

            ServiceJar restarted = predictionService(registry);
            try {
                awaitAssigned(restarted, model, probe, challenger);
                for (int i = 0; i < CARDS; i++) {
                    assertThat(infer(restarted, model, card(i))
                                    .get("model_version")
                                    .asInt())
                            .as("card %d after the restarts", i)
                            .isEqualTo(before.get(card(i)));
                }

                Assignment second = RegistryProcess.assignment(JSON.readTree(
                        registry.actOnRollout(model, rollout, "{\"action\": \"advance\", \"revision\": 1}")));
                // a card the next step takes from the champion: the service has applied the step once it moved
                awaitAssigned(
                        restarted, model, cardOn(second, challenger, card -> before.get(card) == champion), challenger);
                List<String> moved = new ArrayList<>();
                int onChallenger = 0;
                for (int i = 0; i < CARDS; i++) {
                    int version = infer(restarted, model, card(i))
                            .get("model_version")
                            .asInt();
                    onChallenger += version == challenger ? 1 : 0;
                    if (before.get(card(i)) == challenger && version != challenger) {
                        moved.add(card(i));
                    }
                }
                assertThat(moved)
                        .as("challenger cards moved back by a growing weight")
                        .isEmpty();
                assertThat(onChallenger).as("about 60 % of %d cards", CARDS).isBetween(95, 145);
            } finally {
                restarted.close();
            }
        }
    }

    private static ServiceJar predictionService(RegistryProcess registry) throws Exception {
        return ServiceJar.start(
                Path.of("target/prediction-service.jar").toAbsolutePath(),
                "--sextant.prediction.registry.url=" + registry.url(),
                "--sextant.prediction.reconcile-interval=1s",
                "--spring.kafka.bootstrap-servers=" + KafkaBroker.shared().bootstrapServers(),
                "--spring.data.redis.url=" + RedisServer.shared().url());
    }

    /** Waits until the service sends the card to the version: it has applied the revision that does. */
    private static void awaitAssigned(ServiceJar service, String model, String card, int version) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> infer(service, model, card).get("model_version").asInt() == version);
    }

    /** The first card the assignment gives the version, among those that pass the filter. */
    private static String cardOn(Assignment assignment, int version, Predicate<String> filter) {
        for (int i = 0; i < CARDS; i++) {
            if (assignment.version(card(i)) == version && filter.test(card(i))) {
                return card(i);
            }
        }
        throw new IllegalStateException("no such card goes to version " + version);
    }

    private static JsonNode infer(ServiceJar service, String model, String card) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(service.url() + "/v2/models/" + model + "/infer"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"parameters\": {\"card_id\": \"" + card
                                + "\"}, \"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1,"
                                + " 2], \"data\": [1, 0]}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static String card(int i) {
        return "restart-card-" + i;
    }
}
