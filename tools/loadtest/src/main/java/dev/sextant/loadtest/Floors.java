package dev.sextant.loadtest;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.features.client.online.OnlineFeatureReader;
import dev.sextant.features.client.online.OnlineStoreConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * The floors the platform's latencies are read against, measured in the same run on the same machine: the same
 * models run by ONNX Runtime in this process (no HTTP, no JSON, no features), and the same online features read from
 * the same Redis by the feature-store client in this process (the prediction service's own read path, without the
 * service). The third floor, the prediction service without the gateway, is each {@code direct} scenario.
 */
final class Floors {

    /** A floor's latency distribution: p50, p99 and p99.9 in milliseconds, over {@code samples} calls. */
    record Floor(String name, long samples, double p50, double p99, double p999) {

        static Floor of(String name, Histogram micros) {
            return new Floor(
                    name,
                    micros.getTotalCount(),
                    micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(99) / 1000.0,
                    micros.getValueAtPercentile(99.9) / 1000.0);
        }
    }

    private Floors() {}

    static List<Floor> measure(Platform platform, int samples) throws Exception {
        return List.of(
                onnx(
                        "ONNX Runtime in process: " + Platform.MLP_MODEL.getFileName() + ", [1, 20]",
                        Platform.MLP_MODEL,
                        20,
                        samples),
                onnx(
                        "ONNX Runtime in process: " + platform.fraudModel.getFileName() + ", [1, 3]",
                        platform.fraudModel,
                        3,
                        samples),
                redis(platform, samples));
    }

    private static Floor onnx(String name, Path model, int inputs, int samples) throws Exception {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = environment.createSession(Files.readAllBytes(model), options)) {
                String input = session.getInputNames().iterator().next();
                SplittableRandom random = new SplittableRandom(7);
                Histogram micros = new Histogram(60_000_000L, 3);
                for (int i = -samples / 4; i < samples; i++) {
                    float[][] row = new float[1][inputs];
                    for (int j = 0; j < inputs; j++) {
                        row[0][j] = (float) random.nextDouble(-1, 1);
                    }
                    long start = System.nanoTime();
                    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, row);
                            OrtSession.Result result = session.run(Map.of(input, tensor))) {
                        result.get(0).getValue();
                    }
                    if (i >= 0) {
                        micros.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
                    }
                }
                return Floor.of(name, micros);
            }
        }
    }

    private static Floor redis(Platform platform, int samples) {
        try (OnlineStoreConnection connection = new OnlineStoreConnection(platform.redis, Duration.ofSeconds(2))) {
            OnlineFeatureReader reader = new OnlineFeatureReader(
                    FeatureRepositoryLoader.bundled(), connection, Duration.ofSeconds(2), 1000, Clock.systemUTC());
            List<String> features = List.of("card_txn_stats:txn_count_1h", "merchant_profile:risk_score");
            SplittableRandom random = new SplittableRandom(11);
            Histogram micros = new Histogram(60_000_000L, 3);
            for (int i = -samples / 4; i < samples; i++) {
                Map<String, List<Object>> entities = Map.of(
                        "card_id", List.of(platform.card(random.nextInt(Platform.CARDS))),
                        "merchant_id", List.of(platform.merchant(random.nextInt(Platform.MERCHANTS))));
                long start = System.nanoTime();
                reader.read(features, entities);
                if (i >= 0) {
                    micros.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
                }
            }
            return Floor.of("Redis read in process (feature-store client): the 2 bound features, 2 views", micros);
        }
    }
}
