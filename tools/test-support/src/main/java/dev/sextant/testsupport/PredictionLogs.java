package dev.sextant.testsupport;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generated {@code prediction-logs.v1} records of a model with three inputs (a log-normal amount, a uniform risk
 * score, a 20 % premium flag) and its score, and the training-time reference of the same distributions, registered
 * in a real registry: what monitoring's tests and its benchmark ({@code tools/bench/monitoring.sh}) consume. Event
 * times advance 100 ms per log. Not thread-safe.
 */
public final class PredictionLogs {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final Path MODEL_FILE =
            Path.of(System.getProperty("sextant.root", ".."), "examples", "models", "fraud-logreg-v1.onnx");

    private final String model;
    private final Random random;
    private Instant clock = Instant.parse("2026-11-20T00:00:00Z");

    public PredictionLogs(String model, long seed) {
        this.model = model;
        this.random = new Random(seed);
    }

    /** A producer to the shared test broker. */
    public static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(
                Map.of("bootstrap.servers", KafkaBroker.shared().bootstrapServers(), "linger.ms", 10),
                new StringSerializer(),
                new StringSerializer());
    }

    /** The event time of the last log. */
    public Instant clock() {
        return clock;
    }

    /** Starts the registry jar with one version of the model, its binding and its reference. */
    public static ServiceJar registryWith(String model) {
        ServiceJar registry = registry();
        try {
            register(registry.url(), model);
            return registry;
        } catch (Exception e) {
            try {
                registry.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not register " + model, e);
        }
    }

    /** Starts the registry jar, on the shared test broker, with no model. */
    public static ServiceJar registry() {
        try {
            return ServiceJar.start(
                    Path.of("../model-registry/target/model-registry.jar")
                            .toAbsolutePath()
                            .normalize(),
                    "--spring.kafka.bootstrap-servers=" + KafkaBroker.shared().bootstrapServers());
        } catch (Exception e) {
            throw new IllegalStateException("could not start the registry", e);
        }
    }

    /** Registers the next version of the model with its binding and reference (the ONNX model takes 3 inputs). */
    public static void register(String registryUrl, String model) throws IOException, InterruptedException {
        String metadata = JSON.writeValueAsString(Map.of(
                "features",
                List.of(
                        Map.of("ref", "request:amount", "default", 0),
                        Map.of("ref", "merchant_profile:risk_score", "default", 0.5),
                        Map.of("ref", "card_profile:is_premium", "default", 0)),
                "reference_distributions",
                reference()));
        HttpResponse<String> created = HTTP.send(
                ServiceJar.multipartFile(
                        registryUrl + "/api/v1/models/" + model + "/versions",
                        "model.onnx",
                        Files.readAllBytes(MODEL_FILE),
                        metadata),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("registering " + model + " answered " + created.body());
        }
    }

    /** One generated row: amount, risk score, premium flag, score. */
    public double[] row(double amountFactor) {
        double amount = Math.exp(3.5 + random.nextGaussian()) * amountFactor;
        double risk = random.nextDouble();
        double premium = random.nextDouble() < 0.2 ? 1 : 0;
        double score = 1 / (1 + Math.exp(-(-4 + 2 * risk + 0.005 * amount)));
        return new double[] {amount, risk, premium, score};
    }

    /** The reference as the training orchestrator writes it, from 50,000 rows of the stable distribution. */
    public static Map<String, Object> reference() {
        Random random = new Random(5);
        int n = 50_000;
        double[][] columns = new double[4][n];
        for (int i = 0; i < n; i++) {
            double amount = Math.exp(3.5 + random.nextGaussian());
            double risk = random.nextDouble();
            columns[0][i] = amount;
            columns[1][i] = risk;
            columns[2][i] = random.nextDouble() < 0.2 ? 1 : 0;
            columns[3][i] = 1 / (1 + Math.exp(-(-4 + 2 * risk + 0.005 * amount)));
        }
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("request:amount", summary(columns[0], false));
        features.put("merchant_profile:risk_score", summary(columns[1], false));
        features.put("card_profile:is_premium", summary(columns[2], true));
        return Map.of("format", "sextant.reference.v1", "features", features, "score", summary(columns[3], false));
    }

    public static Map<String, Object> summary(double[] values, boolean flags) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] percentiles = new double[101];
        for (int i = 0; i <= 100; i++) {
            percentiles[i] = sorted[Math.min(sorted.length - 1, i * sorted.length / 100)];
        }
        List<Double> edges = new ArrayList<>();
        for (int d = 1; d <= 9; d++) {
            double edge = sorted[d * sorted.length / 10];
            if (edge > sorted[0] && (edges.isEmpty() || edge > edges.get(edges.size() - 1))) {
                edges.add(edge);
            }
        }
        double[] fractions = new double[edges.size() + 1];
        for (double value : values) {
            int bin = 0;
            while (bin < edges.size() && value >= edges.get(bin)) {
                bin++;
            }
            fractions[bin] += 1.0 / values.length;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("percentiles", percentiles);
        summary.put("histogram", Map.of("edges", edges, "fractions", fractions));
        if (flags) {
            long ones = Arrays.stream(values).filter(v -> v == 1).count();
            summary.put(
                    "frequencies",
                    Map.of("0.0", 1 - (double) ones / values.length, "1.0", (double) ones / values.length));
        }
        return summary;
    }

    /** A {@code labels.v1} record of a prediction: its event and keys, and when its outcome became known. */
    public static String label(String eventId, boolean positive, Instant eventTime, Instant labelTime) {
        return String.format(
                Locale.ROOT,
                "{\"event_id\": \"%s\", \"label\": %d, \"event_time\": \"%s\", \"label_time\": \"%s\","
                        + " \"entities\": {\"card_id\": \"c\"}}",
                eventId,
                positive ? 1 : 0,
                eventTime,
                labelTime);
    }

    /** The next log of the model's version 1 for {@code row} (from {@link #row}), as its champion. */
    public String log(String requestId, double[] row) {
        clock = clock.plusMillis(100);
        return String.format(
                Locale.ROOT,
                "{\"schema_version\": 1, \"request_id\": \"%s\", \"time\": \"%s\", \"model\": \"%s\", \"version\": 1,"
                        + " \"traffic_role\": \"champion\", \"api\": \"predict\", \"entity_keys\": {\"card_id\": [\"c\"]},"
                        + " \"features\": [{\"name\": \"request:amount\", \"values\": [%s], \"defaulted\": [false]},"
                        + " {\"name\": \"merchant_profile:risk_score\", \"values\": [%s], \"defaulted\": [false]},"
                        + " {\"name\": \"card_profile:is_premium\", \"values\": [%s], \"defaulted\": [false]}],"
                        + " \"outputs\": [{\"name\": \"probability\", \"datatype\": \"FP32\", \"shape\": [1, 1],"
                        + " \"data\": [%s]}], \"latency_ms\": {\"total\": 0.5}}",
                requestId,
                clock,
                model,
                row[0],
                row[1],
                row[2] == 1 ? "true" : "false",
                row[3]);
    }
}
