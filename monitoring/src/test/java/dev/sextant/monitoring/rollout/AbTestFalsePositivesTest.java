package dev.sextant.monitoring.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The A/B test under A/A traffic, simulated: two arms of one model, looked at every {@value #LOOK} labels as the
 * controller looks every few seconds. The sequential test may be read at every look and still declares a difference
 * in at most alpha of the experiments; the fixed-horizon p-value read at every look (peeking) declares one far more
 * often, which is why the fixed-horizon test is only read once, and read once it holds alpha. With 300 experiments
 * and 10 looks of 300 labels per arm at alpha 0.05, the rates (sequential / peeking / read once) are log loss
 * 0.003 / 0.20 / 0.05, ROC-AUC 0 / 0.09 / 0.02, PR-AUC 0 / 0.07 / 0.02, calibration 0 / 0.03 / 0.003.
 */
class AbTestFalsePositivesTest {

    private static final double ALPHA = 0.05;
    private static final int EXPERIMENTS = 300;
    private static final int LOOK = 300;
    private static final int LOOKS = 10;

    @ParameterizedTest
    @CsvSource({"log_loss, 0.02", "roc_auc, 0.02", "pr_auc, 0.03", "calibration, 0.01"})
    void underAaTrafficTheSequentialTestDeclaresADifferenceInAtMostAlphaOfTheExperiments(String metric, double mde) {
        AbTest.Design sequential = new AbTest.Design(metric, ALPHA, 0.8, mde, true);
        AbTest.Design fixed = new AbTest.Design(metric, ALPHA, 0.8, mde, false);
        SplittableRandom random = new SplittableRandom(metric.hashCode());
        int sequentialFound = 0;
        int peekingFound = 0;
        int readOnceFound = 0;
        for (int experiment = 0; experiment < EXPERIMENTS; experiment++) {
            Quality a = new Quality(0.5);
            Quality b = new Quality(0.5);
            boolean sequentialDeclared = false;
            boolean peekingDeclared = false;
            AbTest.Comparison last = null;
            for (int look = 1; look <= LOOKS; look++) {
                for (int i = 0; i < LOOK; i++) {
                    a.add(AbTestTest.labelled(random, 0.8));
                    b.add(AbTestTest.labelled(random, 0.8));
                }
                AbTest.Arm champion = new AbTest.Arm(1, 50, a.snapshot().view());
                List<AbTest.Arm> challenger =
                        List.of(new AbTest.Arm(2, 50, b.snapshot().view()));
                AbTest.Comparison seq =
                        AbTest.compare(sequential, champion, challenger, 200).get(0);
                sequentialDeclared |=
                        seq.verdict().equals("better") || seq.verdict().equals("worse");
                last = AbTest.compare(fixed, champion, challenger, 200).get(0);
                peekingDeclared |= last.pValue() <= ALPHA;
            }
            sequentialFound += sequentialDeclared ? 1 : 0;
            peekingFound += peekingDeclared ? 1 : 0;
            readOnceFound += last.pValue() <= ALPHA ? 1 : 0;
        }
        double sequentialRate = (double) sequentialFound / EXPERIMENTS;
        double peekingRate = (double) peekingFound / EXPERIMENTS;
        double readOnceRate = (double) readOnceFound / EXPERIMENTS;
        // the Monte Carlo standard error of a rate near alpha over these experiments
        double slack = 3 * Math.sqrt(ALPHA * (1 - ALPHA) / EXPERIMENTS);

        assertThat(sequentialRate).as("sequential, read at every look").isLessThanOrEqualTo(ALPHA);
        // the AUCs' standard errors (Hanley-McNeil, binomial) and that of calibration's absolute value near 0 are
        // conservative: their fixed-horizon rate is below alpha, and peeking still multiplies it
        assertThat(peekingRate)
                .as("a fixed-horizon p-value read at every look")
                .isGreaterThan(Math.max(2 * readOnceRate, sequentialRate));
        assertThat(readOnceRate).as("a fixed-horizon p-value read once").isLessThanOrEqualTo(ALPHA + slack);
    }
}
