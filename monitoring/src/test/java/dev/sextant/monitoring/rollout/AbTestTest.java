package dev.sextant.monitoring.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.monitoring.performance.OnlinePerformance;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** An A/B test's sample size, comparisons and split check against textbook values and simulated arms. */
class AbTestTest {

    private static final AbTest.Design FIXED = new AbTest.Design("log_loss", 0.05, 0.8, 0.1, false);
    private static final AbTest.Design SEQUENTIAL = new AbTest.Design("log_loss", 0.05, 0.8, 0.1, true);

    @Test
    void theFixedHorizonSampleSizeIsTheTextbookOne() {
        // two groups of equal size, sigma 1, delta 0.1: n = 2 (1.95996 + 0.84162)² / 0.01 = 1,569.8 per group
        assertThat(AbTest.fixedSampleSize(FIXED, 0.05, 1.0 * (1 + 1))).isEqualTo(1_570);
        // a challenger with a quarter of the champion's weight: its sigma² (1 + 1/3)
        assertThat(AbTest.fixedSampleSize(FIXED, 0.05, 1.0 * (1 + 25.0 / 75))).isEqualTo(1_047);
        // Bonferroni over two challengers: alpha 0.025 each, z 2.241403: n = 2 (2.241403 + 0.841621)² / 0.01 = 1,901.01
        assertThat(AbTest.fixedSampleSize(FIXED, 0.025, 2)).isEqualTo(1_902);
    }

    @Test
    void theSequentialTestsHorizonIsLongerAndReachesThePowerAtItsLastLook() {
        long fixed = AbTest.fixedSampleSize(FIXED, 0.05, 2);
        long horizon = AbTest.sequentialHorizon(SEQUENTIAL, 0.05, 2);
        assertThat(horizon).isBetween(fixed, 4 * fixed);
        // at the horizon, a difference of the minimum detectable effect crosses the boundary with the power
        double variance = 2.0 / horizon;
        double tau2 = 0.01;
        double boundary = Math.sqrt(variance
                * (variance + tau2)
                / tau2
                * (2 * Math.log(1 / 0.05) + Math.log((variance + tau2) / variance)));
        assertThat(AbTest.logLikelihoodRatio(boundary, variance, tau2)).isCloseTo(Math.log(1 / 0.05), within(1e-9));
        assertThat(AbTest.logLikelihoodRatio(0.1, variance, tau2)).isGreaterThan(Math.log(1 / 0.05));
    }

    @Test
    void aBetterChallengerIsFoundBetterWithAnIntervalThatExcludesNoDifference() {
        SplittableRandom random = new SplittableRandom(1);
        Quality champion = arm(random, 4_000, 0.0);
        Quality challenger = arm(random, 4_000, 1.0);

        List<AbTest.Comparison> comparisons = AbTest.compare(
                new AbTest.Design("roc_auc", 0.05, 0.8, 0.02, true),
                new AbTest.Arm(1, 50, champion.snapshot().view()),
                List.of(new AbTest.Arm(2, 50, challenger.snapshot().view())),
                200);

        AbTest.Comparison comparison = comparisons.get(0);
        assertThat(comparison.verdict()).isEqualTo("better");
        assertThat(comparison.difference()).isPositive();
        assertThat(comparison.low()).isPositive();
        assertThat(comparison.high()).isGreaterThan(comparison.difference());
        assertThat(comparison.pValue()).isLessThan(0.05);
        assertThat(comparison.requiredLabels()).isPositive();
    }

    @Test
    void aFixedHorizonTestIsNotReadBeforeItsSampleSize() {
        SplittableRandom random = new SplittableRandom(2);
        AbTest.Design fixed = new AbTest.Design("log_loss", 0.05, 0.8, 0.001, false);

        AbTest.Comparison early = AbTest.compare(
                        fixed,
                        new AbTest.Arm(1, 50, arm(random, 2_000, 0.0).snapshot().view()),
                        List.of(new AbTest.Arm(
                                2, 50, arm(random, 2_000, 1.0).snapshot().view())),
                        200)
                .get(0);

        assertThat(early.pValue()).as("shown").isLessThan(0.05);
        assertThat(early.requiredLabels()).isGreaterThan(2_000);
        assertThat(early.verdict()).as("not acted on").isEqualTo("collecting");
    }

    @Test
    void theSplitCheckFindsAMismatchOfUnitsAndOnlyThen() {
        assertThat(SampleRatio.check(List.of(5_000L, 5_050L), List.of(50.0, 50.0), 200, 0.001)
                        .mismatch())
                .isFalse();
        SampleRatio skewed = SampleRatio.check(List.of(5_000L, 5_400L), List.of(50.0, 50.0), 200, 0.001);
        // chi² = 2 * 200² / 5,200 = 15.38 with one degree of freedom: p = 8.8e-5
        assertThat(skewed.chiSquared()).isCloseTo(15.385, within(1e-3));
        assertThat(skewed.pValue()).isCloseTo(8.8e-5, within(1e-5));
        assertThat(skewed.mismatch()).isTrue();
        assertThat(SampleRatio.check(List.of(50L, 54L), List.of(50.0, 50.0), 200, 0.001)
                        .mismatch())
                .as("too few units to judge")
                .isFalse();
        assertThat(SampleRatio.check(List.of(900L, 100L, 3L), List.of(90.0, 10.0, 0.0), 200, 0.001)
                        .mismatch())
                .as("a unit in an arm without weight")
                .isTrue();
    }

    /**
     * An arm's labelled predictions: labels drawn with the probability {@code 1 / (1 + e^-x)}, scored
     * {@code 1 / (1 + e^-(x + 3 (1 - skill) noise))}: a skill of 1 is the calibrated model that knows x, a lower
     * one sees x through more noise, so ranks and calibrates worse.
     */
    static Quality arm(SplittableRandom random, int labels, double skill) {
        Quality quality = new Quality(0.5);
        for (int i = 0; i < labels; i++) {
            quality.add(labelled(random, skill));
        }
        return quality;
    }

    static OnlinePerformance.Labelled labelled(SplittableRandom random, double skill) {
        double x = 3 * random.nextGaussian() - 1;
        boolean label = random.nextDouble() < 1 / (1 + Math.exp(-x));
        double score = 1 / (1 + Math.exp(-(x + 3 * (1 - skill) * random.nextGaussian())));
        return new OnlinePerformance.Labelled(score, label, Duration.ZERO);
    }
}
