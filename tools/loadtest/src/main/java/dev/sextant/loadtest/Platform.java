package dev.sextant.loadtest;

import java.io.ByteArrayOutputStream;
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
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The platform under test and what the load test puts in it before measuring: two models registered and made
 * champion ({@code loadtest-fraud}, the plan's {@code fraud_model}: examples/models/fraud-logreg-v2.onnx unless it
 * names another, bound to a request value and two online features; {@code loadtest-mlp}, examples/models/mlp-20x64.onnx, for the Open Inference Protocol), and the online
 * features of 10,000 cards and 1,000 merchants pushed to the feature store. Then the requests of each kind, for
 * random cards and merchants of that population.
 */
final class Platform {

    static final String FRAUD = "loadtest-fraud";
    static final String MLP = "loadtest-mlp";
    static final Path MLP_MODEL = Path.of("examples/models/mlp-20x64.onnx");
    static final int CARDS = 10_000;
    static final int MERCHANTS = 1_000;
    /** The features the fraud model is bound to, in input order, as its registered metadata lists them. */
    static final List<String> FEATURES =
            List.of("request:amount_zscore", "card_txn_stats:txn_count_1h", "merchant_profile:risk_score");

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final String gateway;
    final String prediction;
    final String features;
    final String registry;
    final String redis;
    final String apiKey;
    /** nginx in front of the prediction service and the feature store ({@link Nginx}); null when not started. */
    final String nginx;
    /** The fraud model's ONNX file: the plan's {@code fraud_model}. */
    final Path fraudModel;

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    /** The fraud model's second version, the same file and binding as the champion: what rollout scenarios roll out. */
    private int challenger;

    Platform(
            String gateway,
            String prediction,
            String features,
            String registry,
            String redis,
            String apiKey,
            String nginx,
            Path fraudModel) {
        this.gateway = gateway;
        this.prediction = prediction;
        this.features = features;
        this.registry = registry;
        this.redis = redis;
        this.apiKey = apiKey;
        this.nginx = nginx;
        this.fraudModel = fraudModel;
    }

    /**
     * Registers both models as champions and a second version of the fraud model (what rollout scenarios roll out),
     * pushes the population's features, waits until both are served.
     */
    void prepare() throws Exception {
        String binding = "["
                + String.join(
                        ", ",
                        List.of(
                                "{\"ref\": \"request:amount_zscore\", \"default\": 0}",
                                "{\"ref\": \"card_txn_stats:txn_count_1h\", \"default\": 0}",
                                "{\"ref\": \"merchant_profile:risk_score\", \"default\": 0.5}"))
                + "]";
        register(FRAUD, fraudModel, binding, true);
        challenger = register(FRAUD, fraudModel, binding, false);
        register(MLP, MLP_MODEL, "[]", true);
        SplittableRandom random = new SplittableRandom(42);
        Instant now = Instant.now();
        List<String> rows = new ArrayList<>();
        for (int card = 0; card < CARDS; card++) {
            rows.add(String.format(
                    Locale.ROOT,
                    "{\"card_id\": \"%s\", \"event_timestamp\": \"%s\", \"txn_count_10m\": %d,"
                            + " \"txn_count_1h\": %d, \"amount_sum_10m\": %.2f, \"amount_sum_1h\": %.2f,"
                            + " \"amount_mean_1h\": %.2f, \"amount_max_1h\": %.2f}",
                    card(card),
                    now,
                    random.nextInt(5),
                    random.nextInt(30),
                    random.nextDouble(500),
                    random.nextDouble(3000),
                    random.nextDouble(100),
                    random.nextDouble(800)));
        }
        push("card_txn_stats", rows);
        rows.clear();
        for (int merchant = 0; merchant < MERCHANTS; merchant++) {
            rows.add(String.format(
                    Locale.ROOT,
                    "{\"merchant_id\": \"%s\", \"event_timestamp\": \"%s\","
                            + " \"risk_score\": %.4f, \"category\": \"grocery\", \"country\": \"FR\"}",
                    merchant(merchant),
                    now,
                    random.nextDouble() * random.nextDouble()));
        }
        push("merchant_profile", rows);
        for (String model : List.of(FRAUD, MLP)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (HTTP.send(
                                    HttpRequest.newBuilder(URI.create(prediction + "/v2/models/" + model + "/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the prediction service does not serve " + model + " after 60 s");
                }
                Thread.sleep(250);
            }
        }
    }

    String card(int i) {
        return "lt-" + run + "-card-" + i;
    }

    String merchant(int i) {
        return "lt-" + run + "-merchant-" + i;
    }

    /** The requests of a scenario, for random cards and merchants of the population. */
    Load.Calls calls(Plan.Scenario scenario, long seed) {
        boolean viaGateway = scenario.via().equals("gateway");
        Map<String, String> headers = viaGateway
                ? Map.of("Content-Type", "application/json", "X-API-Key", apiKey)
                : Map.of("Content-Type", "application/json");
        String predictionBase;
        String featuresBase;
        switch (scenario.via()) {
            case "gateway" -> {
                predictionBase = gateway;
                featuresBase = gateway;
            }
            case "nginx" -> {
                if (nginx == null) {
                    throw new IllegalStateException("scenario " + scenario.name() + " goes through nginx, not started");
                }
                predictionBase = nginx;
                featuresBase = nginx;
            }
            default -> {
                predictionBase = prediction;
                featuresBase = features;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        Load.Calls predict = () -> new Load.Call(
                predictionBase + "/api/v1/predict/" + FRAUD,
                headers,
                bytes(String.format(
                        Locale.ROOT,
                        "{\"entities\": {\"card_id\": \"%s\", \"merchant_id\": \"%s\"}, \"request\": {\"amount_zscore\": %.3f}}",
                        card(random.nextInt(CARDS)),
                        merchant(random.nextInt(MERCHANTS)),
                        random.nextDouble(-2, 4))));
        Load.Calls infer = () -> {
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                data.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", random.nextDouble(-1, 1)));
            }
            return new Load.Call(
                    predictionBase + "/v2/models/" + MLP + "/infer",
                    headers,
                    bytes(
                            "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 20], \"datatype\": \"FP32\", \"data\": ["
                                    + data + "]}]}"));
        };
        Load.Calls read = () -> new Load.Call(
                featuresBase + "/api/v1/features/online",
                headers,
                bytes(String.format(
                        Locale.ROOT,
                        "{\"features\": [\"card_txn_stats:txn_count_1h\", \"card_txn_stats:amount_mean_1h\","
                                + " \"merchant_profile:risk_score\"], \"entities\": {\"card_id\": [\"%s\"], \"merchant_id\":"
                                + " [\"%s\"]}}",
                        card(random.nextInt(CARDS)),
                        merchant(random.nextInt(MERCHANTS)))));
        return switch (scenario.kind()) {
            case "predict" -> predict;
            case "infer" -> infer;
            case "features" -> read;
            default ->
                () -> {
                    double draw = random.nextDouble();
                    return draw < 0.7 ? predict.next() : draw < 0.9 ? read.next() : infer.next();
                };
        };
    }

    /** The fraud model's second version, which the rollout scenarios roll out. */
    int challenger() {
        return challenger;
    }

    /** Registers a version of the model, made champion if asked; answers its number. */
    private int register(String model, Path file, String binding, boolean champion) throws Exception {
        String metadata = "{\"description\": \"load test model\", \"tags\": {\"purpose\": \"loadtest\"},"
                + " \"features\": " + binding + "}";
        String boundary = "sextant-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model.onnx\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(file));
        body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + metadata + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        String created = send(
                HttpRequest.newBuilder(URI.create(registry + "/api/v1/models/" + model + "/versions"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("X-Sextant-Actor", "loadtest")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                201);
        java.util.regex.Matcher version =
                java.util.regex.Pattern.compile("\"version\":(\\d+)").matcher(created);
        if (!version.find()) {
            throw new IllegalStateException("the registry answered no version: " + created);
        }
        if (champion) {
            send(
                    HttpRequest.newBuilder(URI.create(registry + "/api/v1/models/" + model + "/aliases/champion"))
                            .header("Content-Type", "application/json")
                            .header("X-Sextant-Actor", "loadtest")
                            .PUT(HttpRequest.BodyPublishers.ofString(
                                    "{\"version\": " + version.group(1) + ", \"reason\": \"load test\"}")),
                    200);
        }
        return Integer.parseInt(version.group(1));
    }

    /**
     * Pushes the rows online, 1,000 a request. A 503 (Redis slower than the feature store's online timeout, as on a
     * machine whose JVMs have just started) is retried after a pause, as the feature store asks; pushing the same
     * rows again changes nothing.
     */
    private void push(String view, List<String> rows) throws Exception {
        for (int from = 0; from < rows.size(); from += 1_000) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(features + "/api/v1/features/push"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"feature_view\": \"" + view + "\", \"rows\": ["
                            + String.join(", ", rows.subList(from, Math.min(rows.size(), from + 1_000)))
                            + "]}"));
            for (int attempt = 1; ; attempt++) {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 503 && attempt < 5) {
                    Thread.sleep(1_000L * attempt);
                    continue;
                }
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(request.build().uri() + " answered " + response.statusCode()
                            + ", not 200, after " + attempt + " attempts: " + response.body());
                }
                break;
            }
        }
    }

    static String send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.build().uri() + " answered " + response.statusCode() + ", not "
                    + expected + ": " + response.body());
        }
        return response.body();
    }

    /** GET of a text document (a Prometheus exposition); null when the service does not answer. */
    static String text(String url) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
