package dev.sextant.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.monitoring.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnlinePerformanceTest {

    static final Instant T = Instant.parse("2026-11-20T00:00:00Z");

    static OnlinePerformance performance() {
        return new OnlinePerformance(TestProperties.with(100, 50, 2).performance(), new SimpleMeterRegistry());
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
