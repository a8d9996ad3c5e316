import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * The demo that {@code ./sextant start} runs against the local platform: registers two versions of a fraud
 * model with their feature binding and metrics, makes the first the champion, promotes the second, and shows
 * the alias history and the model events that reached Kafka. Feature store: sends transactions to Kafka and
 * waits for their streaming aggregates online, pushes card profiles (one of them stale) and reads it all back
 * with statuses. Training: sends labelled payments to labels.v1 and starts a training job that registers a
 * challenger if it beats the champion. The loop: that version becomes the champion and serves traffic; the
 * world drifts (larger payments, a new fraud pattern in the labels); monitoring alerts and asks for retraining; the
 * orchestrator trains and registers a challenger that beats the champion on the latest data; its promotion swaps
 * the model under live traffic with no failed request. Every API call goes through the gateway, with the administrator's API key for changes and the
 * predicting client's for predictions and reads (environment {@code SEXTANT_ADMIN_KEY}, {@code SEXTANT_PREDICT_KEY});
 * only readiness is asked of the services directly. Runs as a single-file program (JDK 17+).
 *
 * <p>Usage: {@code java -cp <kafka-clients classpath> scripts/Demo.java <registry-url> <kafka> <feature-store-url>
 * <prediction-service-url> <gateway-url> <monitoring-url>}
 */
public class Demo {

    // HTTP/1.1 with keep-alive, as a load generator talks to a gateway (no h2c upgrade attempts on plain HTTP).
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final String MODEL = "fraud-detector";
    private static final String ADMIN_KEY = System.getenv().getOrDefault("SEXTANT_ADMIN_KEY", "");
    private static final String PREDICT_KEY = System.getenv().getOrDefault("SEXTANT_PREDICT_KEY", "");

    public static void main(String[] args) throws Exception {
        String registry = args.length > 0 ? args[0] : "http://localhost:8083";
        String kafka = args.length > 1 ? args[1] : "localhost:9092";
        String features = args.length > 2 ? args[2] : "http://localhost:8082";
        String prediction = args.length > 3 ? args[3] : "http://localhost:8081";
        String gateway = args.length > 4 ? args[4] : "http://localhost:8080";
        String monitoring = args.length > 5 ? args[5] : "http://localhost:8085";

        step("Waiting for the model registry at " + registry);
        awaitReady(registry + "/actuator/health/readiness");

        step("Through the gateway at " + gateway + " from here on: the administrator's API key for changes, the"
                + " predicting client's for predictions and reads");
        String refused = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/models/" + MODEL + "/versions"))
                .header("X-API-Key", PREDICT_KEY)
                .header("X-Request-Id", "demo-refused")
                .POST(HttpRequest.BodyPublishers.noBody()), 403, "");
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
        String promoted = put(gateway + "/api/v1/models/" + MODEL + "/aliases/champion", second,
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
        awaitServed(prediction + "/v2/models/" + MODEL + "/versions/" + second + "/ready");
        String scores = post(gateway + "/v2/models/" + MODEL + "/infer", PREDICT_KEY, """
                {"id": "demo-1", "inputs": [{"name": "features", "datatype": "FP32", "shape": [2, 3],
                  "data": [[0.1, 1, 0.2], [3.5, 9, 0.9]]}]}""");
        detail("model_version " + field(scores, "model_version") + ", probability "
                + between(scores, "\"data\":", "}"));
        detail("signature: " + get(gateway + "/v2/models/" + MODEL));

        step("Waiting for the feature store at " + features);
        awaitReady(features + "/actuator/health/readiness");
        Instant now = Instant.now();
        String card = "card-" + UUID.randomUUID().toString().substring(0, 8);
        step("Sending 5 transactions of " + card + " to Kafka topic transactions.v1; the feature store's Kafka Streams"
                + " topology aggregates them per card and per merchant");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG,
                        "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                String transaction = ("{\"transaction_id\": \"%s\", \"card_id\": \"%s\", \"merchant_id\": \"merchant-7\","
                                + " \"amount\": %d.50, \"currency\": \"EUR\", \"country\": \"FR\", \"event_time\": \"%s\"}")
                        .formatted(UUID.randomUUID(), card, 20 * (i + 1), now.minusSeconds(300 - 60L * i));
                producer.send(new ProducerRecord<>("transactions.v1", card, transaction)).get();
                detail(transaction);
            }
        }
        String counted = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!counted.contains("\"values\":[5]") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            counted = post(gateway + "/api/v1/features/online", PREDICT_KEY, """
                    {"features": ["card_txn_stats:txn_count_10m"], "entities": {"card_id": ["%s"]}}
                    """.formatted(card));
        }
        if (!counted.contains("\"values\":[5]")) {
            throw new IllegalStateException("the streaming aggregates did not reach the online store: " + counted);
        }
        step("Pushing card-2's profile 30 days and 20 minutes old (card_profile has a 30d TTL) and " + card
                + "'s, two days old");
        detail(post(gateway + "/api/v1/features/push", ADMIN_KEY, """
                {"feature_view": "card_profile", "rows": [
                  {"card_id": "%s", "event_timestamp": "%s", "home_country": "FR", "card_age_days": 412,
                   "is_premium": true},
                  {"card_id": "card-2", "event_timestamp": "%s", "home_country": "DE", "card_age_days": 90,
                   "is_premium": false}]}
                """.formatted(card, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(30).plusMinutes(20)))));

        step("Reading online features for " + card + ", card-2 and an unknown card-3 (values, then statuses);"
                + " txn_context is computed on demand from them and the payment being scored (request_context)");
        String online = post(gateway + "/api/v1/features/online", PREDICT_KEY, """
                {"features": ["card_txn_stats:txn_count_10m", "card_txn_stats:amount_mean_1h",
                              "card_profile:home_country", "txn_context:amount_to_mean_1h", "txn_context:is_foreign"],
                 "entities": {"card_id": ["%s", "card-2", "card-3"]},
                 "request_context": {"amount": [250.0, 12.0, 99.0], "country": ["DE", "DE", "FR"]}}
                """.formatted(card));
        Matcher column = Pattern.compile("\\{\"values\":(\\[[^\\]]*]),\"statuses\":(\\[[^\\]]*])").matcher(online);
        for (String name : between(online, "\"feature_names\":[", "]").split(",")) {
            if (column.find()) {
                detail(String.format("%-32s %-22s %s", name.replace("\"", ""), column.group(1), column.group(2)));
            }
        }

        step("Scoring a payment of " + card + " at merchant-7 with the domain API: the prediction service reads the"
                + " champion's bound features from Redis itself; merchant-7 has no profile, so its risk_score is"
                + " defaulted");
        String domain = post(gateway + "/api/v1/predict/" + MODEL, PREDICT_KEY, """
                {"id": "demo-2", "entities": {"card_id": "%s", "merchant_id": "merchant-7"},
                 "request": {"amount_zscore": 1.2}}""".formatted(card));
        detail(domain);
        if (!domain.contains("\"defaulted\":[\"merchant_profile:risk_score\"]")) {
            throw new IllegalStateException("the domain API did not read the card's features: " + domain);
        }

        int trained = train(kafka, gateway, now);
        if (trained == 0) {
            throw new IllegalStateException("the loop needs the trained version registered; the job was not");
        }
        closeTheLoop(kafka, gateway, prediction, trained);

        String keys = System.getenv().getOrDefault("SEXTANT_DATA_DIR", "data") + "/gateway/api-keys.env";
        step("Done. Try it yourself through the gateway (the keys are in " + keys + "):");
        detail("source " + keys);
        detail("curl -H \"X-API-Key: $SEXTANT_PREDICT_KEY\" " + gateway + "/api/v1/models/" + MODEL
                + "/aliases/champion");
        detail("curl -H \"X-API-Key: $SEXTANT_ADMIN_KEY\" -o model.onnx " + gateway + "/api/v1/models/" + MODEL
                + "/aliases/champion/artifact");
        detail("curl -H \"X-API-Key: $SEXTANT_PREDICT_KEY\" " + gateway + "/api/v1/features/views");
        detail("curl -H \"X-API-Key: $SEXTANT_PREDICT_KEY\" -H 'Content-Type: application/json' -d '{\"entities\":"
                + " {\"card_id\": \"" + card + "\", \"merchant_id\": \"merchant-7\"}, \"request\": {\"amount_zscore\": 0}}' "
                + gateway + "/api/v1/predict/" + MODEL);
        detail("The services directly (no credentials; not for clients): registry " + registry + ", feature store "
                + features + ", prediction service " + prediction);
        detail("The dashboard (the diagram, live; drift per feature over time): " + monitoring + "/dashboard");
        detail("OpenAPI of every service, through the gateway: " + gateway + "/swagger-ui.html");
        detail("Gateway health and metrics: " + gateway + "/actuator/health, " + gateway + "/actuator/prometheus");
    }

    /**
     * The training pipeline: labelled payments on labels.v1 (fraud more likely the larger the amount), archived by
     * the training orchestrator; a job builds a point-in-time dataset through the feature store, trains a logistic
     * regression, checks its ONNX export, evaluates it beside the champion on the same test rows and registers it
     * as the challenger if it passes the gate.
     */
    private static int train(String kafka, String gateway, Instant now) throws Exception {
        int labels = 3_000;
        step("Sending " + labels + " labelled payments of 10 to 1 days ago to Kafka topic labels.v1 (fraud is more"
                + " likely the larger the amount); the training orchestrator archives them");
        java.util.Random random = new java.util.Random(7);
        int before = intField(get(gateway + "/api/v1/training/labels"), "labels");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < labels; i++) {
                String id = UUID.randomUUID().toString();
                double amount = Math.round(Math.exp(3.5 + random.nextGaussian()) * 100) / 100.0;
                boolean fraud = random.nextDouble() < 1 / (1 + Math.exp(-(-5 + 0.012 * amount)));
                // Between 10 days and 1 day ago: the drift step's labels (the last 2 hours) of an earlier run on the
                // same data stay out of this training range.
                Instant time = now.minusSeconds(86_400 + random.nextInt(9 * 86_400));
                String label = ("{\"event_id\": \"%s\", \"label\": %d, \"event_time\": \"%s\", \"label_time\": \"%s\","
                                + " \"entities\": {\"card_id\": \"demo-card-%d\", \"merchant_id\": \"merchant-%d\"},"
                                + " \"request\": {\"amount\": %s, \"country\": \"FR\"}}")
                        .formatted(id, fraud ? 1 : 0, time, time.plusSeconds(3_600), random.nextInt(300),
                                random.nextInt(40), amount);
                producer.send(new ProducerRecord<>("labels.v1", id, label));
                if (i < 2) {
                    detail(label);
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (intField(get(gateway + "/api/v1/training/labels"), "labels") < before + labels) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the labels did not reach the archive: "
                        + get(gateway + "/api/v1/training/labels"));
            }
            Thread.sleep(250);
        }
        detail(get(gateway + "/api/v1/training/labels"));

        step("Training a challenger: POST /api/v1/training/jobs (the champion is evaluated on the same test rows)");
        String job = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/training/jobs"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "demo-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "%s", "trainer": "logistic_regression", "reason": "demo",
                         "features": [{"ref": "request:amount", "default": 0},
                                      {"ref": "card_txn_stats:txn_count_1h", "default": 0},
                                      {"ref": "merchant_profile:risk_score", "default": 0.5}],
                         "data_from": "%s", "data_to": "%s"}""".formatted(MODEL, now.minus(Duration.ofDays(11)),
                        now.minus(Duration.ofDays(1))))), 201, ADMIN_KEY);
        String id = field(job, "id");
        detail("job " + id + ": " + field(job, "state"));
        String state = "PENDING";
        String seen = "";
        deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!List.of("REGISTERED", "REJECTED", "FAILED", "CANCELLED").contains(state)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the training job did not finish in 120 s: " + job);
            }
            Thread.sleep(250);
            job = get(gateway + "/api/v1/training/jobs/" + id);
            state = field(job, "state");
            if (!state.equals(seen)) {
                detail(state + ": " + field(job, "step"));
                seen = state;
            }
        }
        if (!state.equals("REGISTERED") && !state.equals("REJECTED")) {
            throw new IllegalStateException("the training job ended " + state + ": " + job);
        }
        String report = get(gateway + "/api/v1/training/jobs/" + id + "/report");
        Matcher reasons = Pattern.compile("\"reasons\":\\[([^\\]]*)\\]").matcher(report);
        detail("gate: " + (reasons.find() ? reasons.group(1) : report));
        Matcher metrics = Pattern.compile("\"metrics\":(\\{[^}]*\\})").matcher(job);
        detail("candidate metrics on the test rows: " + (metrics.find() ? metrics.group(1) : "?"));
        detail("report: " + gateway + "/api/v1/training/jobs/" + id + "/report");
        Matcher registered = Pattern.compile("\"registered_version\":(\\d+)").matcher(job);
        return state.equals("REGISTERED") && registered.find() ? Integer.parseInt(registered.group(1)) : 0;
    }

    /** What a stretch of prediction traffic saw: latencies, failures, the versions that answered. */
    record Traffic(List<Long> nanos, int failures, java.util.Set<Integer> versions, String firstFailure) {

        long percentile(double q) {
            List<Long> sorted = new ArrayList<>(nanos);
            java.util.Collections.sort(sorted);
            return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size())));
        }
    }

    /**
     * Sends {@code count} payments to the domain API through the gateway from 8 clients of at most 20 requests/s
     * each (or until {@code stop} is set, when count is 0); amounts drawn as the training data's, times
     * {@code amountFactor}.
     */
    private static Traffic traffic(String gateway, int count, double amountFactor, long seed,
            java.util.concurrent.atomic.AtomicBoolean stop) throws Exception {
        List<Long> nanos = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Set<Integer> versions = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>("");
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        for (int c = 0; c < 8; c++) {
            long clientSeed = seed * 31 + c;
            clients.submit(() -> {
                java.util.Random random = new java.util.Random(clientSeed);
                while (count > 0 ? sent.getAndIncrement() < count : !stop.get()) {
                    double amount = Math.round(Math.exp(3.5 + random.nextGaussian()) * amountFactor * 100) / 100.0;
                    String id = UUID.randomUUID().toString();
                    String body = ("{\"id\": \"%s\", \"entities\": {\"card_id\": \"demo-card-%d\","
                                    + " \"merchant_id\": \"merchant-%d\"}, \"request\": {\"amount\": %s, \"country\": \"FR\"}}")
                            .formatted(id, random.nextInt(300), random.nextInt(40), amount);
                    long started = System.nanoTime();
                    long paced = started + 50_000_000L; // 20 requests/s a client: below the gateway's 200/s limit
                    try {
                        HttpResponse<String> answer = HTTP.send(
                                HttpRequest.newBuilder(URI.create(gateway + "/api/v1/predict/" + MODEL))
                                        .timeout(Duration.ofSeconds(10))
                                        .header("Content-Type", "application/json")
                                        .header("X-API-Key", PREDICT_KEY)
                                        .header("X-Request-Id", "demo-traffic-" + id)
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        nanos.add(System.nanoTime() - started);
                        if (answer.statusCode() == 200) {
                            versions.add(intField(answer.body(), "version"));
                        } else {
                            failures.incrementAndGet();
                            firstFailure.compareAndSet("", answer.statusCode() + " " + answer.body());
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet("", "demo-traffic-" + id + ": " + e);
                    }
                    long rest = paced - System.nanoTime();
                    if (rest > 0) {
                        Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        if (!clients.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES)) {
            throw new IllegalStateException("prediction traffic did not finish in 5 minutes");
        }
        return new Traffic(List.copyOf(nanos), failures.get(), java.util.Set.copyOf(versions), firstFailure.get());
    }

    private static String latency(Traffic traffic) {
        return String.format(java.util.Locale.ROOT, "%d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed%s",
                traffic.nanos().size(), traffic.percentile(0.5) / 1e6, traffic.percentile(0.99) / 1e6,
                traffic.percentile(1.0) / 1e6, traffic.failures(),
                traffic.failures() == 0 ? "" : " (first: " + traffic.firstFailure() + ")");
    }

    /**
     * The loop the platform exists for: the trained version becomes the champion and serves traffic; the world
     * changes (payments four times larger, and a new fraud pattern in the labels); monitoring sees the drift, raises
     * alerts and asks for retraining; the orchestrator trains a challenger on the new labels and registers it if it
     * beats the champion on the latest data; promoting it swaps the model under live traffic with no failed request.
     */
    private static void closeTheLoop(String kafka, String gateway, String prediction, int trained) throws Exception {
        step("Closing the loop. Version " + trained + " (trained above, with its reference distributions) becomes"
                + " the champion");
        put(gateway + "/api/v1/models/" + MODEL + "/aliases/champion", trained, "trained on the labelled payments");
        awaitServed(prediction + "/v2/models/" + MODEL + "/versions/" + trained + "/ready");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!traffic(gateway, 8, 1, 1, null).versions().equals(java.util.Set.of(trained))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the prediction service did not move to version " + trained);
            }
            Thread.sleep(250);
        }

        step("Prediction traffic through the gateway like the training data: 1,000 payments from 8 clients");
        Traffic baseline = traffic(gateway, 1_000, 1, 2, null);
        detail(latency(baseline));
        String drift = "";
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!drift.contains("\"windows\":[{")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("monitoring judged no window of version " + trained + ": " + drift);
            }
            Thread.sleep(500);
            drift = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/monitoring/models/" + MODEL
                    + "/versions/" + trained + "/drift")), 200, PREDICT_KEY);
        }
        detail("monitoring, windows of 500 predictions: " + between(drift, "\"windows\":[{", ",\"columns\""));
        String skew = get(gateway + "/api/v1/monitoring/models/" + MODEL + "/versions/" + trained + "/skew");
        detail("training/serving skew of its first predictions: " + field(skew, "status") + " "
                + between(skew, "\"report\":{", ",\"columns\""));

        Instant now = Instant.now();
        int labels = 3_000;
        step("The world changes. " + labels + " new labels of the last 2 hours: payments four times larger, and"
                + " fraud now in the small ones (card testing); the orchestrator archives them");
        int before = intField(get(gateway + "/api/v1/training/labels"), "labels");
        java.util.Random random = new java.util.Random(11);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < labels; i++) {
                String id = UUID.randomUUID().toString();
                double amount = Math.round(Math.exp(3.5 + random.nextGaussian()) * 4 * 100) / 100.0;
                boolean fraud = random.nextDouble() < 1 / (1 + Math.exp(-(1 - 0.03 * amount)));
                Instant time = now.minusSeconds(60 + random.nextInt(7_200));
                producer.send(new ProducerRecord<>("labels.v1", id, ("{\"event_id\": \"%s\", \"label\": %d,"
                                + " \"event_time\": \"%s\", \"label_time\": \"%s\", \"entities\": {\"card_id\":"
                                + " \"demo-card-%d\", \"merchant_id\": \"merchant-%d\"}, \"request\": {\"amount\": %s,"
                                + " \"country\": \"FR\"}}").formatted(id, fraud ? 1 : 0, time, time.plusSeconds(60),
                                random.nextInt(300), random.nextInt(40), amount)));
            }
        }
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (intField(get(gateway + "/api/v1/training/labels"), "labels") < before + labels) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the new labels did not reach the archive");
            }
            Thread.sleep(250);
        }
        String lastJob = get(gateway + "/api/v1/training/jobs?model=" + MODEL + "&limit=1");

        step("Drifted traffic: 1,600 payments four times larger");
        Traffic drifted = traffic(gateway, 1_600, 4, 3, null);
        detail(latency(drifted));
        String alerts = "";
        deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!alerts.contains("\"severity\":\"alert\"")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("monitoring raised no drift alert: " + alerts);
            }
            Thread.sleep(500);
            alerts = get(gateway + "/api/v1/monitoring/alerts?model=" + MODEL);
        }
        Matcher alert = Pattern.compile("\\{[^{}]*\"severity\":\"alert\"[^{}]*}").matcher(alerts);
        for (int shown = 0; alert.find() && shown < 3; shown++) {
            detail("drift-alerts.v1: " + alert.group());
        }

        step("Monitoring asks for retraining after 3 alerting windows (retrain-requests.v1); the orchestrator starts"
                + " a job from the model's recipe");
        String job = lastJob;
        deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (field(job, "id").equals(field(lastJob, "id"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no retraining job was started: " + job);
            }
            Thread.sleep(500);
            job = get(gateway + "/api/v1/training/jobs?model=" + MODEL + "&limit=1");
        }
        String id = field(job, "id");
        detail("job " + id + ", reason: " + field(job, "reason").replaceFirst(" — evidence.*", ""));
        String state = "";
        String seen = "";
        deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!List.of("REGISTERED", "REJECTED", "FAILED", "CANCELLED").contains(state)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the retraining job did not finish in 180 s: " + job);
            }
            Thread.sleep(500);
            job = get(gateway + "/api/v1/training/jobs/" + id);
            state = field(job, "state");
            if (!state.equals(seen)) {
                detail(state + ": " + field(job, "step"));
                seen = state;
            }
        }
        String report = get(gateway + "/api/v1/training/jobs/" + id + "/report");
        Matcher reasons = Pattern.compile("\"reasons\":\\[([^\\]]*)\\]").matcher(report);
        detail("gate: " + (reasons.find() ? reasons.group(1) : "?"));
        if (!state.equals("REGISTERED")) {
            throw new IllegalStateException("the challenger was not registered (" + state + "): " + report);
        }
        int challenger = intField(job, "registered_version");

        step("Promoting the challenger (version " + challenger + ") under live traffic, sent straight to the prediction"
                + " service, where the swap happens: requests in flight finish on the old session");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<Traffic> live = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return traffic(prediction, 0, 4, 4, stop);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1_000);
        put(gateway + "/api/v1/models/" + MODEL + "/aliases/champion", challenger, "retrained after drift");
        awaitServed(prediction + "/v2/models/" + MODEL + "/versions/" + challenger + "/ready");
        Thread.sleep(3_000);
        stop.set(true);
        Traffic swap = live.get();
        detail(latency(swap) + "; versions that answered: " + new java.util.TreeSet<>(swap.versions()));
        if (swap.failures() > 0) {
            throw new IllegalStateException(swap.failures() + " requests failed during the swap: " + swap.firstFailure());
        }
        if (!swap.versions().contains(challenger)) {
            throw new IllegalStateException("version " + challenger + " answered no request after its promotion");
        }

        step("Summary");
        String before1 = get(gateway + "/api/v1/models/" + MODEL + "/versions/" + trained);
        String after = get(gateway + "/api/v1/models/" + MODEL + "/versions/" + challenger);
        detail("champion before: version " + trained + ", test metrics " + between(before1, "\"metrics\":", "}") + "}");
        detail("champion now: version " + challenger + ", test metrics " + between(after, "\"metrics\":", "}") + "}");
        for (String metric : List.of("roc_auc", "pr_auc")) {
            detail("on the latest labels' test rows, " + metric + ": old champion " + after(report, "\"champion\"", metric)
                    + " -> new " + after(report, "\"candidate\"", metric));
        }
        detail("latency through the gateway before the drift: " + latency(baseline));
        detail("latency at the prediction service during the swap: " + latency(swap));
        detail("alerts published: " + (alerts.split("\"severity\":\"alert\"", -1).length - 1) + " drift alerts, "
                + (alerts.split("\"severity\":\"warn\"", -1).length - 1) + " warnings");
    }

    /** Waits until the URL answers 200: the prediction service serves a version once it has loaded it. */
    private static void awaitServed(String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("not served within 60 s: " + url);
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
                """.formatted(rocAuc, job);
    }

    private static String register(String registry, Path model, String metadata) throws Exception {
        String boundary = "sextant-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model.onnx\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(model));
        body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + metadata + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(registry + "/api/v1/models/" + MODEL + "/versions"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("X-Sextant-Actor", "demo")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), 201, ADMIN_KEY);
    }

    private static String put(String url, int version, String reason) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("X-Sextant-Actor", "demo")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"version\": " + version + ", \"reason\": \"" + reason + "\"}")), 200, ADMIN_KEY);
    }

    private static String post(String url, String key, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), 200, key);
    }

    private static String get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), 200, PREDICT_KEY);
    }

    /** Sends with the API key (none when empty) and answers the body, unless the status is not the expected one. */
    private static String send(HttpRequest.Builder request, int expected, String key) throws Exception {
        if (!key.isEmpty()) {
            request.header("X-API-Key", key);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("expected HTTP " + expected + " but got " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static void awaitReady(String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("not ready after 120 s: " + url);
    }

    private static List<String> events(String bootstrapServers, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "sextant-demo-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
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
                if (events.size() >= count && consumer.assignment().stream()
                        .allMatch(partition -> consumer.position(partition)
                                >= consumer.endOffsets(List.of(partition)).get(partition))) {
                    break;
                }
            }
        }
        if (events.size() < count) {
            throw new IllegalStateException("expected at least " + count + " model events, got " + events);
        }
        return events.subList(events.size() - count, events.size());
    }

    private static void step(String message) {
        System.out.println("\n==> " + message);
    }

    private static void detail(String message) {
        System.out.println("    " + message);
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return matcher.find() ? matcher.group(1) : "?";
    }

    private static int intField(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** The first number named {@code name} after {@code anchor} in the JSON. */
    private static String after(String json, String anchor, String name) {
        int from = json.indexOf(anchor);
        Matcher matcher = Pattern.compile("\"" + name + "\":([-0-9.Ee]+)").matcher(json);
        return from >= 0 && matcher.find(from) ? matcher.group(1) : "?";
    }

    private static String between(String json, String start, String end) {
        int from = json.indexOf(start);
        int to = from < 0 ? -1 : json.indexOf(end, from + start.length());
        return from < 0 || to < 0 ? "?" : json.substring(from + start.length(), to);
    }
}
