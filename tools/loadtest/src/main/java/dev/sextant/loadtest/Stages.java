package dev.sextant.loadtest;

import dev.sextant.metrics.PrometheusText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the time goes, from the services' side: each service's {@code /actuator/prometheus} is scraped just before
 * and just after a measured run, and each stage's histogram is read between the two scrapes (count, mean, p50 and
 * p99, interpolated within the bucket as Prometheus's {@code histogram_quantile} does).
 */
final class Stages {

    /** A stage: the service that measures it, and its histogram. */
    private record Stage(String name, String service, String histogram) {}

    /** One stage between two scrapes; mean, p50 and p99 in milliseconds. */
    record Measured(String stage, double count, double mean, Double p50, Double p99) {}

    private static final List<Stage> STAGES = List.of(
            new Stage("gateway: whole request", "gateway", "http_server_requests_seconds"),
            new Stage("prediction service: whole request", "prediction-service", "sextant_prediction_requests_seconds"),
            new Stage(
                    "prediction service: feature fetch (Redis)",
                    "prediction-service",
                    "sextant_prediction_features_read_seconds"),
            new Stage("prediction service: batching queue", "prediction-service", "sextant_prediction_queue_seconds"),
            new Stage(
                    "prediction service: inference (ONNX Runtime)",
                    "prediction-service",
                    "sextant_prediction_inference_seconds"),
            new Stage("feature store: whole request", "feature-store", "http_server_requests_seconds"),
            new Stage("feature store: Redis read", "feature-store", "sextant_features_online_read_seconds"));

    private final Map<String, String> endpoints;

    /** @param endpoints service ({@code gateway}, {@code prediction-service}, …) → its base URL */
    Stages(Map<String, String> endpoints) {
        this.endpoints = endpoints;
    }

    /** Every service's exposition now (a service that does not answer is left out). */
    Map<String, String> scrape() {
        Map<String, String> expositions = new LinkedHashMap<>();
        endpoints.forEach((service, url) -> {
            String text = Platform.text(url + "/actuator/prometheus");
            if (text != null) {
                expositions.put(service, text);
            }
        });
        return expositions;
    }

    /** The stages that saw requests between two scrapes, and the prediction logs published and dropped. */
    static List<Measured> between(Map<String, String> before, Map<String, String> after) {
        List<Measured> measured = new ArrayList<>();
        for (Stage stage : STAGES) {
            if (!before.containsKey(stage.service()) || !after.containsKey(stage.service())) {
                continue;
            }
            PrometheusText.Histogram then = histogram(before.get(stage.service()), stage.histogram());
            PrometheusText.Histogram now = histogram(after.get(stage.service()), stage.histogram());
            double count = now.count() - then.count();
            if (count <= 0) {
                continue;
            }
            measured.add(new Measured(
                    stage.name(),
                    count,
                    (now.sum() - then.sum()) / count * 1000,
                    PrometheusText.quantile(0.5, now.buckets(), then.buckets()),
                    PrometheusText.quantile(0.99, now.buckets(), then.buckets())));
        }
        for (String outcome : List.of("published", "dropped")) {
            double logs = counter(after.get("prediction-service"), "sextant_prediction_logs_" + outcome + "_total")
                    - counter(before.get("prediction-service"), "sextant_prediction_logs_" + outcome + "_total");
            if (logs > 0) {
                measured.add(new Measured("prediction logs " + outcome + " to Kafka", logs, Double.NaN, null, null));
            }
        }
        return measured;
    }

    /** A histogram summed over its series, leaving out the actuator's own requests. */
    private static PrometheusText.Histogram histogram(String exposition, String name) {
        return PrometheusText.Histogram.of(
                PrometheusText.parse(exposition),
                sample -> !sample.labels().getOrDefault("uri", "").startsWith("/actuator"),
                name);
    }

    private static double counter(String exposition, String name) {
        if (exposition == null) {
            return 0;
        }
        return PrometheusText.parse(exposition).stream()
                .filter(sample -> sample.name().equals(name))
                .mapToDouble(PrometheusText.Sample::value)
                .sum();
    }
}
