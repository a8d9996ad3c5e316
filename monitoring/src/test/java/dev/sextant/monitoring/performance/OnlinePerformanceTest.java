package dev.sextant.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.MonitoringProperties.Level;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnlinePerformanceTest {

    static final Instant T = Instant.parse("2026-11-20T00:00:00Z");

    static OnlinePerformance performance() {
        return new OnlinePerformance(
                new MonitoringProperties(
                        URI.create("http://localhost:1"),
                        "logs",
                        1,
                        "dead",
                        "alerts",
                        new MonitoringProperties.Retrain("retrain", 3, Duration.ofHours(6)),
                        new MonitoringProperties.Performance("labels.v1", 2, 0.5, 100, 10),
                        new MonitoringProperties.Window(Duration.ofHours(1), 100, Duration.ofMinutes(1), 1000, 50, 10),
                        new MonitoringProperties.Thresholds(
                                new Level(0.1, 0.25), new Level(0.1, 0.2), new Level(0.1, 0.2)),
                        new MonitoringProperties.Quality(
                                new Level(0.1, 0.3),
                                new Level(0.01, 0.05),
                                new Level(0.05, 0.2),
                                new Level(0.01, 0.05)),
                        Map.of()),
                new SimpleMeterRegistry());
    }

    @Test
    void joinsLabelsWithPredictionsInEitherOrder() {
        OnlinePerformance performance = performance();
        performance.predicted("a", "m", 1, 0.9, T);
        assertThat(performance.labelled("a", true, T.plusSeconds(60))).isTrue();
        // The label of "b" is consumed before its prediction: it waits and joins when the prediction comes.
        assertThat(performance.labelled("b", false, T.plusSeconds(120))).isFalse();
        performance.predicted("b", "m", 1, 0.2, T.plusSeconds(30));

        assertThat(performance.history("m", 1)).hasSize(1);
        Map<String, Double> metrics = performance.history("m", 1).get(0).metrics();
        assertThat(metrics.get("labels")).isEqualTo(2.0);
        assertThat(metrics.get("roc_auc")).isEqualTo(1.0);
        assertThat(metrics.get("label_delay_max_seconds")).isEqualTo(90.0);
    }
}
