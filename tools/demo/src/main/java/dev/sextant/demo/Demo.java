package dev.sextant.demo;

import static dev.sextant.demo.Api.ADMIN_KEY;
import static dev.sextant.demo.Api.MODEL;
import static dev.sextant.demo.Api.PREDICT_KEY;
import static dev.sextant.demo.Api.after;
import static dev.sextant.demo.Api.await;
import static dev.sextant.demo.Api.awaitOk;
import static dev.sextant.demo.Api.between;
import static dev.sextant.demo.Api.detail;
import static dev.sextant.demo.Api.field;
import static dev.sextant.demo.Api.get;
import static dev.sextant.demo.Api.intField;
import static dev.sextant.demo.Api.poll;
import static dev.sextant.demo.Api.post;
import static dev.sextant.demo.Api.put;
import static dev.sextant.demo.Api.send;
import static dev.sextant.demo.Api.step;

import dev.sextant.demo.FraudWorld.Payment;
import dev.sextant.demo.FraudWorld.Regime;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The scenario {@code ./sextant start} runs against the local platform, through the gateway.
 *
 * <p>A tour first: the registry (two example versions, an alias move, the events on Kafka), the prediction service
 * (Open Inference Protocol), the feature store (streaming aggregates, pushed profiles, online reads with statuses,
 * on-demand features) and the domain API.
 *
 * <p>Then the loop, in the synthetic world of {@link FraudWorld} (docs/synthetic-world.md):
 * <ol>
 *   <li>the world's last two hours: card profiles materialized from the offline store, merchant profiles pushed,
 *       180,000 payments through the feature store's stream, the outcomes known so far as labels;
 *   <li>the first model trained from the model's recipe on that history, and made the champion;
 *   <li>the world goes on live: every payment scored through the gateway with its card's streaming features,
 *       recorded on the stream, its outcome revealed seconds later;
 *   <li>the world drifts (holiday spending, and a card-testing fraud ring); monitoring alerts and asks for a
 *       retraining; the challenger trained on the new outcomes beats the champion and is registered;
 *   <li>it is rolled out ({@link RolloutScenes}): it shadows the champion, then goes through canary steps that
 *       monitoring advances on its live latency, errors and ROC-AUC on the outcomes, to its promotion, with no failed
 *       request; the model from before the drift, proposed again, is rolled back by the same evidence;
 *   <li>a summary, with the traffic shares over time.
 * </ol>
 *
 * <p>Every API call goes through the gateway, with the administrator's API key for changes and the predicting
 * client's for predictions and reads (environment {@code SEXTANT_ADMIN_KEY}, {@code SEXTANT_PREDICT_KEY}); readiness,
 * and the feature store's stream counters go to the services directly.
 *
 * <p>Usage: {@code java -jar tools/demo/target/demo.jar <registry-url> <kafka> <feature-store-url> <prediction-service-url>
 * <gateway-url> <monitoring-url> <training-orchestrator-url>}
 */
public final class Demo {

    /** The world of the loop: its size, rate and seed (the population is the same on every run). */
    static final int CARDS = 7_500;

    static final int MERCHANTS = 200;
    static final double PAYMENTS_PER_SECOND = 25;
    static final long SEED = 20261126L;
    static final Duration HISTORY = Duration.ofHours(2);
    /** The history's outcomes are known this long after each payment: the world's dispute window. */
    static final Duration DISPUTE_WINDOW = Duration.ofMinutes(20);
    /** Live, the demo reveals outcomes this long after each payment, so the loop closes in minutes. */
    static final Duration LIVE_DISPUTE_WINDOW = Duration.ofSeconds(5);
    /** What the world drifts to: holiday spending (amounts 2.5 times larger, 30 % abroad) and card testing. */
    static final Regime DRIFTED = Regime.BASELINE.withCovariateShift(2.5, 0.3).withConcept(1);

    private Demo() {}

    public static void main(String[] args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean keepRunning = arguments.remove("--keep-running");
        String registry = arguments.size() > 0 ? arguments.get(0) : "http://localhost:8083";
        String kafka = arguments.size() > 1 ? arguments.get(1) : "localhost:9092";
        String features = arguments.size() > 2 ? arguments.get(2) : "http://localhost:8082";
        String prediction = arguments.size() > 3 ? arguments.get(3) : "http://localhost:8081";
        String gateway = arguments.size() > 4 ? arguments.get(4) : "http://localhost:8080";
        String monitoring = arguments.size() > 5 ? arguments.get(5) : "http://localhost:8085";
        String training = arguments.size() > 6 ? arguments.get(6) : "http://localhost:8084";

        step("Waiting for the model registry at " + registry);
        awaitOk(registry + "/actuator/health/readiness", Duration.ofSeconds(120));

        step("Through the gateway at " + gateway + " from here on: the administrator's API key for changes, the"
                + " predicting client's for predictions and reads");
        String refused = send(
                HttpRequest.newBuilder(URI.create(gateway + "/api/v1/models/" + MODEL + "/versions"))
                        .header("X-API-Key", PREDICT_KEY)
                        .header("X-Request-Id", "demo-refused")
                        .POST(HttpRequest.BodyPublishers.noBody()),
                403,
                "");
        detail("a predicting client may not upload models: 403 " + between(refused, "\"detail\":\"", "\""));

        step("Registering " + MODEL + " from examples/models/fraud-logreg-v1.onnx");
        String v1 = register(gateway, Path.of("examples/models/fraud-logreg-v1.onnx"), metadata(0.871, "job-demo-1"));
        int first = intField(v1, "version");
        detail("version " + first + ", sha256 " + field(v1, "sha256").substring(0, 12) + "…, signature inputs "
                + between(v1, "\"inputs\":", "],\"outputs\"") + "]");

        step("Making version " + first + " the champion");
        String champion = put(gateway + "/api/v1/models/" + MODEL + "/aliases/champion", first, "first model");
        detail("champion -> version " + intField(champion, "version") + " (set by " + field(champion, "updated_by")
                + ")");

        step("Registering a retrained version from examples/models/fraud-logreg-v2.onnx");
        String v2 = register(gateway, Path.of("examples/models/fraud-logreg-v2.onnx"), metadata(0.902, "job-demo-2"));
        int second = intField(v2, "version");
        detail("version " + second + ", roc_auc " + between(v2, "\"roc_auc\":", "}"));
        put(gateway + "/api/v1/models/" + MODEL + "/aliases/challenger", second, "candidate from retraining");

        step("Promoting the challenger (version " + second + ") to champion");
        String promoted = put(
                gateway + "/api/v1/models/" + MODEL + "/aliases/champion",
                second,
                "challenger beat champion on roc_auc");
        detail("champion moved from version " + intField(promoted, "previous_version") + " to " + second);

        step("Alias history of champion (newest first)");
        String history = get(gateway + "/api/v1/models/" + MODEL + "/aliases/champion/history");
        Matcher change = Pattern.compile("\\{[^{}]*\"changed_at\"[^{}]*}").matcher(history);
        for (int shown = 0; change.find() && shown < 4; shown++) {
            detail(change.group());
        }

        step("Model events on Kafka topic model-events.v1 (" + kafka + ")");
        for (String event : events(kafka, 5)) {
            detail(event);
        }

        step("Scoring two payments with the champion on the prediction service (Open Inference Protocol); it"
                + " followed the alias move through model-events.v1");
        awaitOk(prediction + "/v2/models/" + MODEL + "/versions/" + second + "/ready", Duration.ofSeconds(60));
        String scores = post(
                gateway + "/v2/models/" + MODEL + "/infer",
                PREDICT_KEY,
                """
                {"id": "demo-1", "inputs": [{"name": "features", "datatype": "FP32", "shape": [2, 3],
                  "data": [[0.1, 1, 0.2], [3.5, 9, 0.9]]}]}""");
        detail("model_version " + field(scores, "model_version") + ", probability "
                + between(scores, "\"data\":", "}"));
        detail("signature: " + get(gateway + "/v2/models/" + MODEL));

        step("Waiting for the feature store at " + features);
        awaitOk(features + "/actuator/health/readiness", Duration.ofSeconds(120));
        Instant now = Instant.now();
        String card = "card-" + UUID.randomUUID().toString().substring(0, 8);
        step("Sending 5 transactions of " + card + " to Kafka topic transactions.v1; the feature store's Kafka Streams"
                + " topology aggregates them per card and per merchant");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                String transaction =
                        ("{\"transaction_id\": \"%s\", \"card_id\": \"%s\", \"merchant_id\": \"merchant-7\","
                                        + " \"amount\": %d.50, \"currency\": \"EUR\", \"country\": \"FR\", \"event_time\": \"%s\"}")
                                .formatted(UUID.randomUUID(), card, 20 * (i + 1), now.minusSeconds(300 - 60L * i));
                producer.send(new ProducerRecord<>("transactions.v1", card, transaction))
                        .get();
                detail(transaction);
            }
        }
        String counted = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!counted.contains("\"values\":[5]") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            counted = post(
                    gateway + "/api/v1/features/online",
                    PREDICT_KEY,
                    """
                    {"features": ["card_txn_stats:txn_count_10m"], "entities": {"card_id": ["%s"]}}
                    """
                            .formatted(card));
        }
        if (!counted.contains("\"values\":[5]")) {
            throw new IllegalStateException("the streaming aggregates did not reach the online store: " + counted);
        }
        step("Pushing card-2's profile 30 days and 20 minutes old (card_profile has a 30d TTL) and " + card
                + "'s, two days old");
        detail(post(
                gateway + "/api/v1/features/push",
                ADMIN_KEY,
                """
                {"feature_view": "card_profile", "rows": [
                  {"card_id": "%s", "event_timestamp": "%s", "home_country": "FR", "card_age_days": 412,
                   "is_premium": true},
                  {"card_id": "card-2", "event_timestamp": "%s", "home_country": "DE", "card_age_days": 90,
                   "is_premium": false}]}
                """
                        .formatted(
                                card,
                                now.minus(Duration.ofDays(2)),
                                now.minus(Duration.ofDays(30).plusMinutes(20)))));

        step("Reading online features for " + card + ", card-2 and an unknown card-3 (values, then statuses);"
                + " txn_context is computed on demand from them and the payment being scored (request_context)");
        String online = post(
                gateway + "/api/v1/features/online",
                PREDICT_KEY,
                """
                {"features": ["card_txn_stats:txn_count_10m", "card_txn_stats:amount_mean_1h",
                              "card_profile:home_country", "txn_context:amount_to_mean_1h", "txn_context:is_foreign"],
                 "entities": {"card_id": ["%s", "card-2", "card-3"]},
                 "request_context": {"amount": [250.0, 12.0, 99.0], "country": ["DE", "DE", "FR"]}}
                """
                        .formatted(card));
        Matcher column = Pattern.compile("\\{\"values\":(\\[[^\\]]*]),\"statuses\":(\\[[^\\]]*])")
                .matcher(online);
        for (String name : between(online, "\"feature_names\":[", "]").split(",")) {
            if (column.find()) {
                detail(String.format("%-32s %-22s %s", name.replace("\"", ""), column.group(1), column.group(2)));
            }
        }

        step("Scoring a payment of " + card + " at merchant-7 with the domain API: the prediction service reads the"
                + " champion's bound features from Redis itself; merchant-7 has no profile, so its risk_score is"
                + " defaulted");
        String domain = post(
                gateway + "/api/v1/predict/" + MODEL,
                PREDICT_KEY,
                """
                {"id": "demo-2", "entities": {"card_id": "%s", "merchant_id": "merchant-7"},
                 "request": {"amount_zscore": 1.2}}"""
                        .formatted(card));
        detail(domain);
        if (!domain.contains("\"defaulted\":[\"merchant_profile:risk_score\"]")) {
            throw new IllegalStateException("the domain API did not read the card's features: " + domain);
        }

        loop(kafka, features, gateway, prediction, keepRunning, example -> {
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
                    + "\"}, \"request\": {\"amount\": 42.5,"
                    + " \"country\": \"FR\"}}' " + gateway + "/api/v1/predict/" + MODEL);
            detail("The services directly (no credentials; not for clients): registry " + registry + ", feature store "
                    + features + ", prediction service " + prediction + ", training orchestrator " + training
                    + ", monitoring " + monitoring);
            detail("The dashboard (the diagram, live; drift per feature over time): " + monitoring + "/dashboard");
            detail("OpenAPI of every service, through the gateway: " + gateway + "/swagger-ui.html");
            detail("Gateway health and metrics: " + gateway + "/actuator/health, " + gateway + "/actuator/prometheus");
        });
    }

    /** The loop in the synthetic world (the class comment lists its steps). */
    /**
     * The loop in the synthetic world (the class comment lists its steps); then {@code done} with the world's latest
     * payment, for the reader's own requests, and, with {@code keepRunning}, the world goes on, scored through the
     * gateway, until the process is stopped.
     */
    private static void loop(
            String kafka,
            String features,
            String gateway,
            String prediction,
            boolean keepRunning,
            java.util.function.Consumer<Payment> done)
            throws Exception {
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

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.LINGER_MS_CONFIG, 10),
                new StringSerializer(),
                new StringSerializer())) {
            profiles(world, gateway, now.minus(HISTORY).minus(Duration.ofDays(1)), now);
            long archived = labelsArchived(gateway);
            int labelled = history(producer, gateway, history, now);
            // The world goes on from its last payment, in real time; nobody scores its payments yet.
            try (LiveWorld live = new LiveWorld(
                    world, producer, history.get(history.size() - 1).authorizedAt(), LIVE_DISPUTE_WINDOW)) {
                awaitHistory(features, gateway, history.size(), archived + labelled);
                int trained = train(gateway, now);
                closeTheLoop(live, gateway, prediction, trained);
                done.accept(live.latest());
                if (keepRunning) {
                    step(String.format(
                            Locale.ROOT,
                            "The world goes on: %.0f payments a second, scored through the"
                                    + " gateway (Ctrl-C stops everything)",
                            PAYMENTS_PER_SECOND));
                    Thread.currentThread().join();
                }
            }
        }
    }

    /**
     * Card profiles are a batch view: written to the offline store (as a nightly export would), then materialized
     * to the online store. Merchant profiles are a push view: pushed online and offline at once.
     */
    private static void profiles(FraudWorld world, String gateway, Instant asOf, Instant now) throws Exception {
        step(String.format(
                Locale.ROOT,
                "Features. Card profiles (a batch view) of the %,d cards written to the"
                        + " offline store, then materialized online; profiles of the %,d merchants pushed online and offline",
                CARDS,
                MERCHANTS));
        List<String> rows = new ArrayList<>();
        for (FraudWorld.Card card : world.cards()) {
            rows.add(String.format(
                    Locale.ROOT,
                    "{\"card_id\": \"%s\", \"event_timestamp\": \"%s\","
                            + " \"home_country\": \"%s\", \"card_age_days\": %d, \"is_premium\": %b}",
                    card.id(),
                    asOf,
                    card.homeCountry(),
                    card.ageDays(),
                    card.premium()));
        }
        for (int from = 0; from < rows.size(); from += 5_000) {
            post(
                    gateway + "/api/v1/features/push",
                    ADMIN_KEY,
                    "{\"feature_view\": \"card_profile\", \"to\": \"offline\","
                            + " \"rows\": ["
                            + String.join(", ", rows.subList(from, Math.min(rows.size(), from + 5_000)))
                            + "]}");
        }
        detail("POST /api/v1/features/materialize: "
                + post(
                        gateway + "/api/v1/features/materialize",
                        ADMIN_KEY,
                        "{\"feature_views\": [\"card_profile\"], \"start\": \"" + asOf + "\", \"end\": \"" + now
                                + "\"}"));
        rows.clear();
        for (FraudWorld.Merchant merchant : world.merchants()) {
            rows.add(String.format(
                    Locale.ROOT,
                    "{\"merchant_id\": \"%s\", \"event_timestamp\": \"%s\","
                            + " \"risk_score\": %.4f, \"category\": \"%s\", \"country\": \"%s\"}",
                    merchant.id(),
                    asOf,
                    merchant.riskScore(),
                    merchant.category(),
                    merchant.country()));
        }
        detail("POST /api/v1/features/push merchant_profile: "
                + post(
                        gateway + "/api/v1/features/push",
                        ADMIN_KEY,
                        "{\"feature_view\": \"merchant_profile\", \"to\": \"online_and_offline\", \"rows\": ["
                                + String.join(", ", rows) + "]}"));
    }

    /** The history's payments to transactions.v1 and the outcomes known by {@code now} to labels.v1. */
    private static int history(
            KafkaProducer<String, String> producer, String gateway, List<Payment> history, Instant now)
            throws Exception {
        step(String.format(
                Locale.ROOT,
                "The world's last %d hours: %,d payments to transactions.v1, where the feature"
                        + " store's stream computes each card's and merchant's 10-minute and 1-hour windows (online, and"
                        + " offline for training); the outcomes known by now (%d minutes after each payment) to labels.v1",
                HISTORY.toHours(),
                history.size(),
                DISPUTE_WINDOW.toMinutes()));
        int labelled = 0;
        for (Payment payment : history) {
            ProducerRecord<String, String> transaction = PaymentJson.record(payment);
            producer.send(transaction);
            Instant known = payment.authorizedAt().plus(DISPUTE_WINDOW);
            if (!known.isAfter(now)) {
                String label = PaymentJson.label(payment, known);
                producer.send(new ProducerRecord<>("labels.v1", payment.id(), label));
                if (labelled++ == 0) {
                    detail(transaction.value());
                    detail(label);
                }
            }
        }
        producer.flush();
        return labelled;
    }

    /**
     * Waits until the feature store's stream has used every payment of the history (its counters) and one commit
     * interval more (5 s: the stream appends its rows to the offline store when it commits), and until the training
     * orchestrator has archived the labels.
     */
    private static void awaitHistory(String features, String gateway, int payments, long labels) throws Exception {
        long started = System.nanoTime();
        for (String view : List.of("card_txn_stats", "merchant_txn_stats")) {
            String url = features + "/actuator/metrics/sextant.features.stream.events?tag=view:" + view
                    + "&tag=outcome:used";
            await("the stream did not use the history within 180 s: " + get(url), Duration.ofSeconds(180), () -> {
                try {
                    return Double.parseDouble(between(get(url), "\"value\":", "}")) >= payments;
                } catch (Exception e) {
                    return false;
                }
            });
        }
        Thread.sleep(6_000);
        await(
                "the labels did not reach the archive within 120 s",
                Duration.ofSeconds(120),
                () -> labelsArchived(gateway) >= labels);
        detail(String.format(
                Locale.ROOT,
                "streamed (both views, online and offline) and archived in %.0f s; the label" + " archive: %s",
                (System.nanoTime() - started) / 1e9,
                get(gateway + "/api/v1/training/labels")));
    }

    private static long labelsArchived(String gateway) {
        try {
            return Long.parseLong(between(get(gateway + "/api/v1/training/labels"), "\"labels\":", ","));
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * The first model, from the model's recipe: the labelled payments of the history's last hour but for the outcomes
     * still unknown, joined point in time to the recipe's features; registered if it beats the champion.
     */
    private static int train(String gateway, Instant now) throws Exception {
        Instant from = now.minus(Duration.ofHours(1));
        Instant to = now.minus(DISPUTE_WINDOW);
        step("Training the first model from its recipe (POST /api/v1/training/jobs) on the payments of " + from
                + " to " + to + ": the windows are full by then, and the outcomes known; the current champion (an"
                + " example model) is evaluated on the same test rows");
        String job = send(
                HttpRequest.newBuilder(URI.create(gateway + "/api/v1/training/jobs"))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "demo-" + UUID.randomUUID())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + MODEL
                                + "\", \"reason\": \"the first model" + " of the synthetic world\", \"data_from\": \""
                                + from + "\", \"data_to\": \"" + to + "\"}")),
                201,
                ADMIN_KEY);
        job = awaitJob(gateway, field(job, "id"), Duration.ofSeconds(180));
        if (!field(job, "state").equals("REGISTERED")) {
            throw new IllegalStateException("the loop needs the trained version registered: " + job);
        }
        return intField(job, "registered_version");
    }

    /** Follows a job to its end, printing its states, then its gate's verdict and metrics; answers the job. */
    private static String awaitJob(String gateway, String id, Duration patience) throws Exception {
        String job = "";
        String seen = "";
        long deadline = System.nanoTime() + patience.toNanos();
        while (!List.of("REGISTERED", "REJECTED", "FAILED", "CANCELLED").contains(field(job, "state"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "job " + id + " did not finish in " + patience.toSeconds() + " s: " + job);
            }
            Thread.sleep(250);
            job = get(gateway + "/api/v1/training/jobs/" + id);
            if (!field(job, "state").equals(seen)) {
                seen = field(job, "state");
                detail(seen + ": " + field(job, "step"));
            }
        }
        String report = get(gateway + "/api/v1/training/jobs/" + id + "/report");
        Matcher reasons = Pattern.compile("\"reasons\":\\[([^\\]]*)\\]").matcher(report);
        detail("gate: " + (reasons.find() ? reasons.group(1) : "?"));
        for (String metric : List.of("roc_auc", "pr_auc")) {
            detail("on the test rows, " + metric + ": champion " + rounded(after(report, "\"champion\"", metric))
                    + ", candidate " + rounded(after(report, "\"candidate\"", metric)));
        }
        candidates(report).forEach(line -> detail(line));
        detail("report: " + gateway + "/api/v1/training/jobs/" + id + "/report");
        return job;
    }

    /**
     * Each trainer the job trained, on the same test rows: the recipe's boosted trees and the logistic regression
     * beside them, and which one the validation split chose.
     */
    private static List<String> candidates(String report) {
        int at = report.indexOf("\"candidates\":[");
        List<String> lines = new ArrayList<>();
        if (at < 0) {
            return lines;
        }
        String[] parts = report.substring(at).split("\\{\"trainer\":\"");
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            lines.add(String.format(
                    "%s%s: validation PR-AUC %s; on the test rows ROC-AUC %s, PR-AUC %s",
                    part.substring(0, part.indexOf('"')),
                    part.contains("\"chosen\":true") ? " (the candidate)" : "",
                    rounded(after(part, "\"validation\"", "pr_auc")),
                    rounded(after(part, "\"test\"", "roc_auc")),
                    rounded(after(part, "\"test\"", "pr_auc"))));
        }
        return lines;
    }

    /**
     * The trained version becomes the champion and scores the world's payments; the world drifts; monitoring
     * alerts and asks for retraining; the challenger trained on the new outcomes is registered and promoted under
     * live traffic, with no failed request.
     */
    private static void closeTheLoop(LiveWorld live, String gateway, String prediction, int trained) throws Exception {
        step("Version " + trained + " becomes the champion. From now on every payment of the world is scored through"
                + " the gateway (the domain API reads its card's and merchant's features from Redis), then recorded on"
                + " transactions.v1; its outcome follows " + LIVE_DISPUTE_WINDOW.toSeconds() + " s later on labels.v1");
        put(gateway + "/api/v1/models/" + MODEL + "/aliases/champion", trained, "trained on the world's history");
        awaitOk(prediction + "/v2/models/" + MODEL + "/versions/" + trained + "/ready", Duration.ofSeconds(60));
        live.scoreAt(gateway, PREDICT_KEY);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (LiveWorld.Stretch first = live.measure(); ; first = live.measure()) {
            first.await(10, Duration.ofSeconds(30));
            if (first.versions().equals(java.util.Set.of(trained))) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the prediction service did not move to version " + trained);
            }
        }

        LiveWorld.Stretch baseline = live.measure();
        baseline.await(1_000, Duration.ofSeconds(120));
        detail(baseline.summary());
        Payment latest = live.latest();
        String online = post(
                gateway + "/api/v1/features/online",
                PREDICT_KEY,
                "{\"features\":"
                        + " [\"card_txn_stats:txn_count_10m\", \"card_txn_stats:txn_count_1h\","
                        + " \"card_txn_stats:amount_mean_1h\"], \"entities\": {\"card_id\": [\""
                        + latest.card().id() + "\"]}}");
        Matcher value = Pattern.compile("\\{\"values\":\\[([^\\]]*)],\"statuses\":\\[\"(\\w+)\"],\"event_timestamps\":"
                        + "\\[\"?([^\\]\"]*)\"?]")
                .matcher(online);
        value.find(); // the join key
        List<String> values = new ArrayList<>();
        for (String name : List.of("txn_count_10m", "txn_count_1h", "amount_mean_1h")) {
            values.add(
                    value.find()
                            ? name + " " + value.group(1) + " (" + value.group(2) + ", as of " + value.group(3) + ")"
                            : name + " ?");
        }
        detail("the streaming features of " + latest.card().id() + ", which paid at " + latest.authorizedAt() + ": "
                + String.join(", ", values));
        String drift = poll(
                "monitoring judged no window of version " + trained,
                Duration.ofSeconds(60),
                () -> get(gateway + "/api/v1/monitoring/models/" + MODEL + "/versions/" + trained + "/drift"),
                answer -> answer.contains("\"windows\":[{"));
        detail("monitoring, windows of 500 predictions: " + between(drift, "\"windows\":[{", ",\"columns\""));
        String skew = get(gateway + "/api/v1/monitoring/models/" + MODEL + "/versions/" + trained + "/skew");
        detail("training/serving skew of its first 500 predictions: " + field(skew, "status") + " "
                + between(skew, "\"report\":{", ",\"columns\""));

        String lastJob = get(gateway + "/api/v1/training/jobs?model=" + MODEL + "&limit=1");
        step("The world drifts: holiday spending (payments 2.5 times larger, 30 % abroad: a covariate shift) and a"
                + " card-testing ring (fraud now in small payments at risky merchants: a concept shift)");
        live.shift(DRIFTED);
        LiveWorld.Stretch drifted = live.measure();
        String alerts = poll(
                "monitoring raised no drift alert",
                Duration.ofSeconds(120),
                () -> get(gateway + "/api/v1/monitoring/alerts?model=" + MODEL),
                answer -> answer.contains("\"severity\":\"alert\""));
        // An alert holds its window as an object, so it is read by its fields rather than matched whole.
        Matcher alert = Pattern.compile("\"feature\":\"([^\"]*)\",\"statistic\":\"([^\"]*)\",\"value\":([^,]*),"
                        + "\"threshold\":([^,]*),\"severity\":\"alert\"")
                .matcher(alerts);
        for (int shown = 0; alert.find() && shown < 3; shown++) {
            detail("drift-alerts.v1: " + alert.group(1) + " " + alert.group(2) + " " + alert.group(3) + " (alert level "
                    + alert.group(4) + ")");
        }

        step(
                "Monitoring asks for retraining after 5 alerting windows in a row (retrain-requests.v1); the orchestrator starts"
                        + " a job from the model's recipe, on the latest outcomes");
        String job = poll(
                "no retraining job was started",
                Duration.ofSeconds(150),
                () -> get(gateway + "/api/v1/training/jobs?model=" + MODEL + "&limit=1"),
                answer -> !field(answer, "id").equals(field(lastJob, "id")));
        detail("job " + field(job, "id") + ", reason: " + field(job, "reason").replaceFirst(" — evidence.*", ""));
        job = awaitJob(gateway, field(job, "id"), Duration.ofSeconds(180));
        if (!field(job, "state").equals("REGISTERED")) {
            throw new IllegalStateException("the challenger was not registered: " + job);
        }
        int challenger = intField(job, "registered_version");
        detail("the drifted payments so far: " + drifted.summary());

        RolloutScenes rollouts = new RolloutScenes(gateway);
        step("Version " + challenger + " shadows the champion: it scores every payment after the answer is sent,"
                + " answering none; monitoring pairs its scores with the champion's");
        long shadow = rollouts.start("{\"strategy\": \"shadow\", \"key\": \"card_id\", \"shadow\": {\"version\": "
                + challenger + ", \"share\": 1.0}, \"reason\": \"retrained after drift: compared before it answers\"}");
        LiveWorld.Stretch shadowed = live.measure();
        String agreement = poll(
                "monitoring paired no 500 shadow scores",
                Duration.ofSeconds(120),
                () -> rollouts.evidence(shadow),
                evidence -> !after(evidence, "\"shadow_agreement\"", "pairs").equals("?")
                        && Double.parseDouble(after(evidence, "\"shadow_agreement\"", "pairs")) >= 500);
        detail(String.format(
                Locale.ROOT,
                "%s pairs: mean difference %s, |difference| p99 %s, decisions flipped at the threshold: %s (%s)",
                after(agreement, "\"shadow_agreement\"", "pairs"),
                rounded(after(agreement, "\"shadow_agreement\"", "mean_difference")),
                rounded(after(agreement, "\"shadow_agreement\"", "absolute_difference_p99")),
                after(agreement, "\"shadow_agreement\"", "decision_flips"),
                rounded(after(agreement, "\"shadow_agreement\"", "flip_rate"))));
        detail("the payments answered meanwhile, through the gateway: " + shadowed.summary());
        rollouts.act(shadow, "abort", "the shadow differs where the drift moved the world: on to a canary");
        rollouts.follow(shadow, Duration.ofSeconds(30));

        step("Version " + challenger + " goes through canary steps, 20 % then 50 % of the cards, each advanced by"
                + " monitoring once the challenger has answered 200 payments and has 200 outcomes in the step, every"
                + " guard holding: p99 at most 3 times the champion's, at most 1 % errors, ROC-AUC on the outcomes not"
                + " significantly worse by more than 0.02");
        LiveWorld.Stretch canary = live.measure();
        long better = rollouts.start(canary(challenger, 20, "retrained after drift"));
        String promoted = rollouts.follow(better, Duration.ofMinutes(8));
        if (!field(promoted, "state").equals("promoted")) {
            throw new IllegalStateException("the retrained challenger was not promoted: " + promoted);
        }
        String betterEvidence = rollouts.evidence(better);
        detail("the evidence: " + versions(betterEvidence));
        detail("the payments answered during the canary: " + canary.summary() + "; versions that answered: "
                + new java.util.TreeSet<>(canary.versions()));
        if (canary.failures() > 0) {
            throw new IllegalStateException(
                    canary.failures() + " requests failed during the canary: " + canary.firstFailure());
        }

        step("Were version " + trained + ", trained before the drift, proposed again, it would go through the same"
                + " guards, here from 50 % of the cards: the evidence rolls it back");
        long worse = rollouts.start(canary(trained, 50, "the model from before the drift, proposed again"));
        String rolledBack = rollouts.follow(worse, Duration.ofMinutes(6));
        if (!field(rolledBack, "state").equals("rolled_back")) {
            throw new IllegalStateException("version " + trained + " was not rolled back: " + rolledBack);
        }
        detail("the evidence: " + versions(rollouts.evidence(worse)));

        step("Summary");
        Regime world = live.regime();
        detail(String.format(
                Locale.ROOT,
                "the world: %,d live payments; now amounts x%.1f, %.0f %% abroad, concept %.1f (1: card testing),"
                        + " fraud odds x%.1f",
                live.happened(),
                world.amountScale(),
                100 * world.foreignShare(),
                world.concept(),
                world.fraudOdds()));
        String before = get(gateway + "/api/v1/models/" + MODEL + "/versions/" + trained);
        detail("version " + trained + " (" + field(before, "trainer") + ", trained on the history): ROC-AUC "
                + rounded(after(before, "\"metrics\"", "roc_auc")) + ", PR-AUC "
                + rounded(after(before, "\"metrics\"", "pr_auc"))
                + " on its test rows; each trainer of its job on the same rows:");
        String first = get(gateway + "/api/v1/training/jobs/" + field(before, "training_job_id") + "/report");
        candidates(first).forEach(line -> detail("  " + line));
        String report = get(gateway + "/api/v1/training/jobs/" + field(job, "id") + "/report");
        detail("on the latest outcomes (the retraining's test rows): ROC-AUC "
                + rounded(after(report, "\"champion\"", "roc_auc"))
                + " -> " + rounded(after(report, "\"candidate\"", "roc_auc")) + ", PR-AUC "
                + rounded(after(report, "\"champion\"", "pr_auc")) + " -> "
                + rounded(after(report, "\"candidate\"", "pr_auc"))
                + " (version " + trained + " -> version " + challenger + ", now the champion by its canary)");
        String performance =
                get(gateway + "/api/v1/monitoring/models/" + MODEL + "/versions/" + trained + "/performance");
        Matcher auc = Pattern.compile("\"roc_auc\":([-0-9.Ee]+)").matcher(performance);
        List<String> windows = new ArrayList<>();
        while (auc.find()) {
            windows.add(String.format(Locale.ROOT, "%.2f", Double.parseDouble(auc.group(1))));
        }
        java.util.Collections.reverse(windows);
        detail("version " + trained + "'s online ROC-AUC per window of labelled predictions, oldest first: " + windows);
        detail("latency through the gateway before the drift: " + baseline.summary());
        detail("latency through the gateway during the canary: " + canary.summary());
        detail("traffic shares over time, as the registry recorded each rollout's changes:");
        rollouts.shares().forEach(line -> detail("  " + line));
        detail("alerts published: " + (alerts.split("\"severity\":\"alert\"", -1).length - 1) + " drift alerts, "
                + (alerts.split("\"severity\":\"warn\"", -1).length - 1) + " warnings");
    }

    /** A canary of the version: from {@code weight} % of the cards, then 50 % unless it starts there. */
    private static String canary(int version, int weight, String reason) {
        String steps = weight < 50
                ? "{\"weight\": " + weight + ", \"min_requests\": 200, \"min_labels\": 200},"
                        + " {\"weight\": 50, \"min_requests\": 200, \"min_labels\": 200}"
                : "{\"weight\": " + weight + ", \"min_requests\": 5000, \"min_labels\": 5000}";
        return "{\"strategy\": \"canary\", \"challengers\": [" + version + "], \"key\": \"card_id\", \"steps\": ["
                + steps + "], \"guards\": {\"max_latency_ratio\": 3, \"max_error_rate\": 0.01, \"quality\":"
                + " {\"metric\": \"roc_auc\", \"max_degradation\": 0.02, \"alpha\": 0.05}}, \"reason\": \"" + reason
                + "\"}";
    }

    /** Each version's role, requests, labels and ROC-AUC in a rollout's evidence. */
    private static String versions(String evidence) {
        Matcher version = Pattern.compile("\\{\"version\":(\\d+),\"role\":\"(\\w+)\",\"requests\":(\\d+)")
                .matcher(evidence);
        List<String> shown = new ArrayList<>();
        while (version.find()) {
            String rest = evidence.substring(version.end());
            int next = rest.indexOf("{\"version\":");
            String own = next < 0 ? rest : rest.substring(0, next);
            String payments = "version " + version.group(1) + " (" + version.group(2) + ") " + version.group(3)
                    + " payments, p99 " + rounded(after(own, "\"total_ms\"", "p99")) + " ms";
            shown.add(
                    version.group(2).equals("shadow")
                            ? payments + " (scored, answering none)"
                            : payments + ", "
                                    + after(own, "\"quality\"", "labels").replace(".0", "") + " outcomes, ROC-AUC "
                                    + rounded(after(own, "\"quality\"", "roc_auc")));
        }
        return String.join("; ", shown);
    }

    /** A metric as the report gives it, to 3 decimals. */
    private static String rounded(String number) {
        try {
            return String.format(Locale.ROOT, "%.3f", Double.parseDouble(number));
        } catch (NumberFormatException e) {
            return number;
        }
    }

    private static String metadata(double rocAuc, String job) {
        return """
                {"description": "card fraud scorer (logistic regression)",
                 "tags": {"team": "risk", "domain": "payments"},
                 "metrics": {"roc_auc": %s},
                 "lineage": {"training_job_id": "%s", "code_version": "demo"},
                 "features": [{"ref": "request:amount_zscore", "default": 0},
                              {"ref": "card_txn_stats:txn_count_1h", "default": 0},
                              {"ref": "merchant_profile:risk_score", "default": 0.5}]}
                """
                .formatted(rocAuc, job);
    }

    private static String register(String registry, Path model, String metadata) throws Exception {
        String boundary = "sextant-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model.onnx\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(model));
        body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + metadata + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return send(
                HttpRequest.newBuilder(URI.create(registry + "/api/v1/models/" + MODEL + "/versions"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("X-Sextant-Actor", "demo")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                201,
                ADMIN_KEY);
    }

    private static List<String> events(String bootstrapServers, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "sextant-demo-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<String> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("model-events.v1"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && events.size() < 1000) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (MODEL.equals(record.key())) {
                        events.add(record.value());
                    }
                }
                if (events.size() >= count
                        && consumer.assignment().stream()
                                .allMatch(partition -> consumer.position(partition)
                                        >= consumer.endOffsets(List.of(partition))
                                                .get(partition))) {
                    break;
                }
            }
        }
        if (events.size() < count) {
            throw new IllegalStateException("expected at least " + count + " model events, got " + events);
        }
        return events.subList(events.size() - count, events.size());
    }
}
