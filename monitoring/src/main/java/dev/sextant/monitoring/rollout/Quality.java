package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.performance.OnlinePerformance;
import dev.sextant.monitoring.performance.PerformanceReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A version's model quality in a rollout, from its predictions joined with their delayed labels: log loss as the
 * mean of each prediction's loss, with its standard error (Welford), so two versions' losses can be compared;
 * calibration as the mean of score less label (the mean score less the positive rate), with its standard error;
 * ROC-AUC (Mann–Whitney) and PR-AUC (average precision) on a uniform sample of at most {@value #SAMPLE} labelled
 * predictions (Vitter's reservoir), ROC-AUC with the Hanley–McNeil standard error and PR-AUC with the binomial
 * approximation {@code sqrt(AP (1 - AP) / positives)} (Boyd, Eng and Page, 2013); and the decisions at the
 * model's threshold that the labels proved right (a bandit's {@code correct_decision} reward). Not thread-safe: {@link #add}
 * and {@link #snapshot} are used under its rollout's lock; a snapshot's metrics are computed outside it.
 */
public final class Quality {

    static final int SAMPLE = 20_000;

    private static final double EPSILON = 1e-15;

    private final List<OnlinePerformance.Labelled> sample = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(20261207L);
    private final Welford loss = new Welford();
    private final Welford calibration = new Welford();
    private final double threshold;
    private long labels;
    private long positives;
    private long correct;

    /** @param threshold the score at and above which the model's decision is positive */
    Quality(double threshold) {
        this.threshold = threshold;
    }

    void add(OnlinePerformance.Labelled labelled) {
        labels++;
        positives += labelled.label() ? 1 : 0;
        correct += (labelled.score() >= threshold) == labelled.label() ? 1 : 0;
        double p = Math.min(Math.max(labelled.score(), EPSILON), 1 - EPSILON);
        loss.add(labelled.label() ? -Math.log(p) : -Math.log(1 - p));
        calibration.add(labelled.score() - (labelled.label() ? 1 : 0));
        if (sample.size() < SAMPLE) {
            sample.add(labelled);
        } else {
            long slot = random.nextLong(labels);
            if (slot < SAMPLE) {
                sample.set((int) slot, labelled);
            }
        }
    }

    /** What the metrics are computed from, copied; null before the first label. */
    Snapshot snapshot() {
        if (labels == 0) {
            return null;
        }
        return new Snapshot(
                labels,
                positives,
                correct,
                loss.mean(),
                loss.standardError(),
                calibration.mean(),
                calibration.standardError(),
                List.copyOf(sample));
    }

    record Snapshot(
            long labels,
            long positives,
            long correct,
            double logLoss,
            Double logLossError,
            double calibration,
            Double calibrationError,
            List<OnlinePerformance.Labelled> sample) {

        View view() {
            int samplePositives = 0;
            for (OnlinePerformance.Labelled labelled : sample) {
                samplePositives += labelled.label() ? 1 : 0;
            }
            Double auc = null;
            Double aucError = null;
            Double precision = null;
            Double precisionError = null;
            if (samplePositives > 0 && samplePositives < sample.size()) {
                auc = PerformanceReport.rocAuc(sample, samplePositives);
                aucError = hanleyMcNeil(auc, samplePositives, sample.size() - samplePositives);
                precision = averagePrecision(sample);
                precisionError = Math.sqrt(precision * (1 - precision) / samplePositives);
            }
            return new View(
                    labels,
                    (double) positives / labels,
                    correct,
                    logLoss,
                    logLossError,
                    calibration,
                    calibrationError,
                    auc,
                    aucError,
                    precision,
                    precisionError);
        }
    }

    /** The standard error of a ROC-AUC from its positives and negatives (Hanley and McNeil, 1982). */
    static double hanleyMcNeil(double auc, long positives, long negatives) {
        double q1 = auc / (2 - auc);
        double q2 = 2 * auc * auc / (1 + auc);
        double variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc))
                / ((double) positives * negatives);
        return Math.sqrt(Math.max(variance, 0));
    }

    /**
     * Average precision: over the predictions ranked by descending score, the precision at each positive, averaged
     * (tied scores ranked together, as scikit-learn's {@code average_precision_score} does).
     */
    static double averagePrecision(List<OnlinePerformance.Labelled> labelled) {
        OnlinePerformance.Labelled[] sorted = labelled.toArray(OnlinePerformance.Labelled[]::new);
        Arrays.sort(sorted, (a, b) -> Double.compare(b.score(), a.score()));
        double sum = 0;
        long truePositives = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            long tiedPositives = 0;
            while (j < sorted.length && sorted[j].score() == sorted[i].score()) {
                tiedPositives += sorted[j].label() ? 1 : 0;
                j++;
            }
            truePositives += tiedPositives;
            // recall grows by tiedPositives / positives, at the precision of everything ranked so far
            sum += tiedPositives * ((double) truePositives / j);
            i = j;
        }
        return truePositives == 0 ? 0 : sum / truePositives;
    }

    /** A running mean and variance (Welford, 1962): exact and stable in one pass. */
    private static final class Welford {
        private long n;
        private double mean;
        private double squares;

        void add(double value) {
            n++;
            double delta = value - mean;
            mean += delta / n;
            squares += delta * (value - mean);
        }

        double mean() {
            return mean;
        }

        /** The standard error of the mean; null with fewer than two values. */
        Double standardError() {
            return n > 1 ? Math.sqrt(squares / (n - 1)) / Math.sqrt(n) : null;
        }
    }

    /**
     * @param labels predictions joined with their labels
     * @param positiveRate the share of positive labels
     * @param correctDecisions the predictions whose decision at the threshold the label proved right
     * @param logLoss the mean log loss; logLossStandardError its standard error (null with one label)
     * @param calibration the mean score less the positive rate (0: calibrated on average); and its standard error
     * @param rocAuc ROC-AUC on the sample (null while it holds one class only); rocAucStandardError its standard error
     * @param prAuc PR-AUC (average precision) on the sample; prAucStandardError its standard error
     */
    public record View(
            long labels,
            double positiveRate,
            long correctDecisions,
            double logLoss,
            Double logLossStandardError,
            double calibration,
            Double calibrationStandardError,
            Double rocAuc,
            Double rocAucStandardError,
            Double prAuc,
            Double prAucStandardError) {}
}
