package dev.sextant.monitoring.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.monitoring.performance.OnlinePerformance;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A version's quality metrics against values computed by hand and by scikit-learn. */
class QualityTest {

    @Test
    void averagePrecisionIsScikitLearnsAveragePrecisionScore() {
        // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333...
        assertThat(Quality.averagePrecision(
                        List.of(labelled(0.1, false), labelled(0.4, false), labelled(0.35, true), labelled(0.8, true))))
                .isCloseTo(5.0 / 6, within(1e-12));
        // tied scores rank together: one positive and one negative at 0.5 give precision 1/2 at recall 1
        assertThat(Quality.averagePrecision(List.of(labelled(0.5, true), labelled(0.5, false))))
                .isEqualTo(0.5);
    }

    @Test
    void theRocAucStandardErrorIsHanleyAndMcNeils() {
        // AUC 0.8 with 50 positives and 50 negatives: Q1 = 2/3, Q2 = 0.7111, SE = 0.0445
        assertThat(Quality.hanleyMcNeil(0.8, 50, 50)).isCloseTo(0.0445, within(1e-4));
    }

    @Test
    void logLossAndCalibrationComeWithTheirStandardErrors() {
        Quality quality = new Quality(0.5);
        for (int i = 0; i < 1_000; i++) {
            quality.add(labelled(0.3, i % 5 == 0)); // scores 0.3, positive rate 0.2: over-confident by 0.1
        }

        Quality.View view = quality.snapshot().view();
        assertThat(view.labels()).isEqualTo(1_000);
        assertThat(view.correctDecisions())
                .as("every decision negative at 0.5, right on the 800 negatives")
                .isEqualTo(800);
        assertThat(view.calibration()).isCloseTo(0.1, within(1e-9));
        // score - label is -0.7 a fifth of the time and 0.3 otherwise: standard deviation 0.4
        assertThat(view.calibrationStandardError()).isCloseTo(0.4 / Math.sqrt(1_000), within(1e-4));
        assertThat(view.logLoss()).isCloseTo(-(0.2 * Math.log(0.3) + 0.8 * Math.log(0.7)), within(1e-9));
        assertThat(view.rocAuc()).isEqualTo(0.5);
        assertThat(view.prAuc()).isCloseTo(0.2, within(1e-9));
        assertThat(new Quality(0.5).snapshot()).isNull();
    }

    private static OnlinePerformance.Labelled labelled(double score, boolean label) {
        return new OnlinePerformance.Labelled(score, label, Duration.ZERO);
    }
}
