package dev.sextant.training.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tribuo.classification.evaluation.LabelEvaluationUtil;

/**
 * A binary classifier's metrics on labelled rows: ranking (ROC-AUC and PR-AUC, from Tribuo), probability quality
 * (log loss, expected calibration error over 10 equal-width bins, Brier score) and decisions at the operating
 * threshold (precision, recall, F1).
 */
public final class BinaryMetrics {

    /** Metrics where lower is better; every other metric is better higher. */
    public static boolean lowerIsBetter(String metric) {
        return metric.equals("log_loss") || metric.equals("calibration_error") || metric.equals("brier");
    }

    public static final java.util.Set<String> NAMES = java.util.Set.of(
            "roc_auc", "pr_auc", "log_loss", "calibration_error", "brier", "precision", "recall", "f1");

    private BinaryMetrics() {}

    /**
     * The metrics of these scores; ROC-AUC and PR-AUC are absent when the rows hold only one class.
     *
     * @param threshold a row is predicted positive when its score is at or above it
     */
    public static Map<String, Double> of(boolean[] labels, float[] scores, double threshold) {
        int n = labels.length;
        int positives = 0;
        double logLoss = 0;
        double brier = 0;
        int truePositives = 0;
        int predictedPositives = 0;
        double[] binScore = new double[10];
        double[] binPositive = new double[10];
        int[] binRows = new int[10];
        double[] asDouble = new double[n];
        for (int i = 0; i < n; i++) {
            double p = Math.min(Math.max(scores[i], 1e-15), 1 - 1e-15);
            asDouble[i] = scores[i];
            if (labels[i]) {
                positives++;
                logLoss -= Math.log(p);
            } else {
                logLoss -= Math.log(1 - p);
            }
            brier += (scores[i] - (labels[i] ? 1 : 0)) * (scores[i] - (labels[i] ? 1 : 0));
            if (scores[i] >= threshold) {
                predictedPositives++;
                if (labels[i]) {
                    truePositives++;
                }
            }
            int bin = Math.min(9, (int) (scores[i] * 10));
            binRows[bin]++;
            binScore[bin] += scores[i];
            binPositive[bin] += labels[i] ? 1 : 0;
        }
        double calibration = 0;
        for (int b = 0; b < 10; b++) {
            if (binRows[b] > 0) {
                calibration += Math.abs(binScore[b] - binPositive[b]) / n;
            }
        }
        double precision = predictedPositives == 0 ? 0 : (double) truePositives / predictedPositives;
        double recall = positives == 0 ? 0 : (double) truePositives / positives;
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (positives > 0 && positives < n) {
            metrics.put("roc_auc", LabelEvaluationUtil.binaryAUCROC(labels, asDouble));
            metrics.put("pr_auc", LabelEvaluationUtil.averagedPrecision(labels, asDouble));
        }
        metrics.put("log_loss", logLoss / n);
        metrics.put("calibration_error", calibration);
        metrics.put("brier", brier / n);
        metrics.put("precision", precision);
        metrics.put("recall", recall);
        metrics.put("f1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
        metrics.put("threshold", threshold);
        metrics.put("rows", (double) n);
        metrics.put("positive_rate", n == 0 ? 0 : (double) positives / n);
        return metrics;
    }

    /** The threshold with the best F1 on these rows (the validation split): the operating threshold. */
    public static double bestF1Threshold(boolean[] labels, float[] scores) {
        int n = labels.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        int positives = 0;
        for (boolean label : labels) {
            positives += label ? 1 : 0;
        }
        if (positives == 0) {
            return 0.5;
        }
        double best = -1;
        double threshold = 0.5;
        int truePositives = 0;
        for (int k = 0; k < n; k++) {
            truePositives += labels[order[k]] ? 1 : 0;
            // Only where the score changes: a threshold takes all rows with equal scores.
            if (k + 1 < n && scores[order[k + 1]] == scores[order[k]]) {
                continue;
            }
            double precision = (double) truePositives / (k + 1);
            double recall = (double) truePositives / positives;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            if (f1 > best) {
                best = f1;
                threshold = scores[order[k]];
            }
        }
        return threshold;
    }
}
