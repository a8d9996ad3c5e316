package dev.sextant.demo;

import static dev.sextant.demo.Api.MODEL;
import static dev.sextant.demo.Api.awaitOk;
import static dev.sextant.demo.Api.detail;
import static dev.sextant.demo.Api.step;

import dev.sextant.examples.fraud.FraudWorld;
import dev.sextant.examples.fraud.FraudWorld.Payment;
import dev.sextant.examples.fraud.FraudWorld.Regime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The scenario {@code ./sextant start} runs against the local platform, through the gateway.
 *
 * <p>A tour first ({@link Tour}): the registry, the prediction service, the feature store and the domain API.
 *
 * <p>Then the loop, in the synthetic world of {@link FraudWorld} (docs/synthetic-world.md):
 * <ol>
 *   <li>the world's last two hours ({@link WorldHistory}): card profiles materialized from the offline store,
 *       merchant profiles pushed, 180,000 payments through the feature store's stream, the outcomes known so far as
 *       labels;
 *   <li>the first model trained from the model's recipe on that history ({@link TrainingScenes});
 *   <li>the world goes on live ({@link LiveWorld}): every payment scored through the gateway with its card's
 *       streaming features, recorded on the stream, its outcome revealed seconds later;
 *   <li>the world drifts (holiday spending, and a card-testing fraud ring); monitoring alerts and asks for a
 *       retraining; the challenger trained on the new outcomes beats the champion and is registered
 *       ({@link DriftScenes});
 *   <li>it is rolled out ({@link RolloutScenes}): it shadows the champion, then goes through canary steps that
 *       monitoring advances on its live latency, errors and ROC-AUC on the outcomes, to its promotion, with no failed
 *       request; the model from before the drift, proposed again, is rolled back by the same evidence;
 *   <li>a summary, with the traffic shares over time ({@link Summary}).
 * </ol>
 *
 * <p>Every API call goes through the gateway, with the administrator's API key for changes and the predicting
 * client's for predictions and reads (environment {@code SEXTANT_ADMIN_KEY}, {@code SEXTANT_PREDICT_KEY}); readiness,
 * and the feature store's stream counters go to the services directly.
 *
 * <p>Usage: {@code java -jar tools/demo/target/demo.jar [--registry URL] [--kafka HOST:PORT] [--feature-store URL]
 * [--prediction-service URL] [--gateway URL] [--monitoring URL] [--training-orchestrator URL] [--keep-running]}
 * ({@link DemoOptions}: each defaults to its local port).
 */
public final class Demo {

    /** The world of the loop: its size, rate and seed (the population is the same on every run). */
    static final int CARDS = 7_500;

    static final int MERCHANTS = 200;
    static final double PAYMENTS_PER_SECOND = 25;
    static final long SEED = 20261126L;
    static final Duration HISTORY = Duration.ofHours(2);
    /** Live, the demo reveals outcomes this long after each payment, so the loop closes in minutes. */
    static final Duration LIVE_DISPUTE_WINDOW = Duration.ofSeconds(5);

    private Demo() {}

    public static void main(String[] args) throws Exception {
        DemoOptions platform = DemoOptions.parse(args);
        step("Waiting for the model registry at " + platform.registry());
        awaitOk(platform.registry() + "/actuator/health/readiness", Duration.ofSeconds(120));
        new Tour(platform).run();
        loop(platform);
    }

    /**
     * The loop in the synthetic world (the class comment lists its steps), ending with requests for the reader to
     * try on the world's latest payment. With {@code --keep-running} the world goes on, scored through the gateway,
     * until the process is stopped.
     */
    private static void loop(DemoOptions platform) throws Exception {
        FraudWorld world = new FraudWorld(new FraudWorld.Settings(
                CARDS,
                MERCHANTS,
                PAYMENTS_PER_SECOND,
                SEED,
                UUID.randomUUID().toString().substring(0, 6)));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        step(String.format(
                Locale.ROOT,
                "The loop, in a synthetic world of card payments (docs/synthetic-world.md):"
                        + " %,d cards, %,d merchants, %.0f payments a second; fraud is likelier for large payments, at risky"
                        + " merchants, abroad and on new cards",
                CARDS,
                MERCHANTS,
                PAYMENTS_PER_SECOND));
        List<Payment> history = world.between(now.minus(HISTORY), now, Regime.BASELINE);
        detail(String.format(
                Locale.ROOT,
                "its last %d hours: %,d payments, %.2f %% of them fraud",
                HISTORY.toHours(),
                history.size(),
                100.0 * history.stream().filter(Payment::fraud).count() / history.size()));

        String gateway = platform.gateway();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka(), ProducerConfig.LINGER_MS_CONFIG, 10),
                new StringSerializer(),
                new StringSerializer())) {
            WorldHistory past = new WorldHistory(world, platform);
            WorldHistory.Written written = past.write(producer, history, now.minus(HISTORY), now);
            // The world goes on from its last payment, in real time; nobody scores its payments yet.
            try (LiveWorld live = new LiveWorld(
                    world, producer, history.get(history.size() - 1).authorizedAt(), LIVE_DISPUTE_WINDOW)) {
                past.awaitTakenIn(written);
                TrainingScenes training = new TrainingScenes(gateway);
                int trained = training.trainFirst(now);
                DriftScenes.Retrained retrained =
                        new DriftScenes(platform, live, training).run(trained, LIVE_DISPUTE_WINDOW);
                RolloutScenes rollouts = new RolloutScenes(gateway);
                rollouts.shadow(retrained.challenger(), live);
                LiveWorld.Stretch canary = rollouts.promote(retrained.challenger(), live);
                rollouts.rollBack(trained);
                Summary.print(gateway, live, training, trained, retrained, canary, rollouts);
                tryItYourself(platform, live.latest());
                if (platform.keepRunning()) {
                    step(String.format(
                            Locale.ROOT,
                            "The world goes on: %.0f payments a second, scored through the gateway (Ctrl-C stops"
                                    + " everything)",
                            PAYMENTS_PER_SECOND));
                    Thread.currentThread().join();
                }
            }
        }
    }

    private static void tryItYourself(DemoOptions platform, Payment example) {
        String gateway = platform.gateway();
        String keys = System.getenv().getOrDefault("SEXTANT_DATA_DIR", "data") + "/gateway/api-keys.env";
        step("Done. Try it yourself through the gateway (the keys are in " + keys + "):");
        detail("source " + keys);
        detail("curl -H \"X-API-Key: $SEXTANT_PREDICT_KEY\" " + gateway + "/api/v1/models/" + MODEL
                + "/aliases/champion");
        detail("curl -H \"X-API-Key: $SEXTANT_ADMIN_KEY\" -o model.onnx " + gateway + "/api/v1/models/" + MODEL
                + "/aliases/champion/artifact");
        detail("curl -H \"X-API-Key: $SEXTANT_PREDICT_KEY\" " + gateway + "/api/v1/features/views");
        detail("curl -H \"X-API-Key: $SEXTANT_PREDICT_KEY\" -H 'Content-Type: application/json' -d '{\"entities\":"
                + " {\"card_id\": \"" + example.card().id() + "\", \"merchant_id\": \""
                + example.merchant().id()
                + "\"}, \"request\": {\"amount\": 42.5, \"country\": \"FR\"}}' " + gateway + "/api/v1/predict/"
                + MODEL);
        detail("The services directly (no credentials; not for clients): registry " + platform.registry()
                + ", feature store " + platform.featureStore() + ", prediction service " + platform.predictionService()
                + ", training orchestrator " + platform.trainingOrchestrator() + ", monitoring "
                + platform.monitoring());
        detail("The dashboard (the diagram, live; drift per feature over time): " + platform.monitoring()
                + "/dashboard");
        detail("OpenAPI of every service, through the gateway: " + gateway + "/swagger-ui.html");
        detail("Gateway health and metrics: " + gateway + "/actuator/health, " + gateway + "/actuator/prometheus");
    }
}
