package dev.sextant.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.monitoring.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnlinePerformanceTest {

    static final Instant T = Instant.parse("2026-11-20T00:00:00Z");

    static OnlinePerformance performance() {
        return new OnlinePerformance(TestProperties.with(100, 50, 2), new SimpleMeterRegistry());
    }

    @Test
    void joinsLabelsWithPredictionsInEitherOrder() {
        OnlinePerformance performance = performance();
        performance.predicted("a", "m", 1, null, 0.9, T);
        assertThat(performance.labelled("a", true, T.plusSeconds(60))).isTrue();
        // The label of "b" is consumed before its prediction: it waits and joins when the prediction comes.
        assertThat(performance.labelled("b", false, T.plusSeconds(120))).isFalse();
        performance.predicted("b", "m", 1, null, 0.2, T.plusSeconds(30));

        assertThat(performance.history("m", 1)).hasSize(1);
        Map<String, Double> metrics = performance.history("m", 1).get(0).metrics();
        assertThat(metrics.get("labels")).isEqualTo(2.0);
        assertThat(metrics.get("roc_auc")).isEqualTo(1.0);
        assertThat(metrics.get("label_delay_max_seconds")).isEqualTo(90.0);
    }

    @Test
    void eachJoinIsHeardWithTheRolloutThatAssignedItsPrediction() {
        OnlinePerformance performance = performance();
        List<String> heard = new ArrayList<>();
        performance.onJoin((model, version, rollout, labelled) -> heard.add(
                model + " v" + version + " rollout " + rollout + ": " + labelled.score() + " " + labelled.label()));

        performance.predicted("a", "m", 2, 7L, 0.9, T);
        performance.labelled("a", true, T.plusSeconds(60));
        performance.labelled("b", false, T.plusSeconds(60));
        performance.predicted("b", "m", 1, 7L, 0.2, T);
        performance.predicted("c", "m", 1, null, 0.4, T);
        performance.labelled("c", false, T.plusSeconds(60));

        assertThat(heard)
                .containsExactly(
                        "m v2 rollout 7: 0.8999999761581421 true",
                        "m v1 rollout 7: 0.2 false",
                        "m v1 rollout null: 0.4000000059604645 false");
    }
}
