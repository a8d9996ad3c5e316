package dev.sextant.training.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

    static final boolean[] LABELS = {false, false, true, false, true, true, false, true};
    static final float[] SCORES = {0.1f, 0.2f, 0.3f, 0.4f, 0.6f, 0.7f, 0.8f, 0.9f};

    @Test
    void computesRankingDecisionAndProbabilityMetricsByHand() {
        Map<String, Double> metrics = BinaryMetrics.of(LABELS, SCORES, 0.5);
        // Of the 16 positive/negative pairs, the positive scores higher in 12.
        assertThat(metrics.get("roc_auc")).isCloseTo(12.0 / 16, within(1e-9));
        // Predicted positive at >= 0.5: 0.6 (+), 0.7 (+), 0.8 (-), 0.9 (+).
        assertThat(metrics.get("precision")).isCloseTo(3.0 / 4, within(1e-9));
        assertThat(metrics.get("recall")).isCloseTo(3.0 / 4, within(1e-9));
        double logLoss = -(Math.log(0.9)
                        + Math.log(0.8)
                        + Math.log(0.3)
                        + Math.log(0.6)
                        + Math.log(0.6)
                        + Math.log(0.7)
                        + Math.log(0.2)
                        + Math.log(0.9))
                / 8;
        assertThat(metrics.get("log_loss")).isCloseTo(logLoss, within(1e-6));
        assertThat(metrics.get("positive_rate")).isEqualTo(0.5);
        assertThat(metrics.get("calibration_error")).isBetween(0.0, 1.0);
    }

    @Test
    void leavesOutRankingMetricsWhenOnlyOneClassIsPresent() {
        Map<String, Double> metrics = BinaryMetrics.of(new boolean[] {false, false}, new float[] {0.1f, 0.2f}, 0.5);
        assertThat(metrics).doesNotContainKeys("roc_auc", "pr_auc").containsKey("log_loss");
    }

    @Test
    void choosesTheThresholdWithTheBestF1() {
        // From 0.3 up: all 4 positives and 2 false positives, F1 0.8 — better than from 0.6 up (0.75).
        assertThat(BinaryMetrics.bestF1Threshold(LABELS, SCORES)).isEqualTo(0.3f);
    }

    @Test
    void knowsWhichMetricsAreBetterLower() {
        assertThat(BinaryMetrics.lowerIsBetter("log_loss")).isTrue();
        assertThat(BinaryMetrics.lowerIsBetter("roc_auc")).isFalse();
    }
}
