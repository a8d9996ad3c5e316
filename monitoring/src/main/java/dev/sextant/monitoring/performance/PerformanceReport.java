package dev.sextant.monitoring.performance;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One window of labelled predictions of a model version.
 *
 * @param metrics {@code roc_auc} (absent with one class only), {@code log_loss}, {@code precision}, {@code recall},
 *     {@code positive_rate}, {@code labels}, {@code label_delay_median_seconds}, {@code label_delay_max_seconds}
 */
public record PerformanceReport(String model, int version, Map<String, Double> metrics) {

    static PerformanceReport of(String model, int version, List<OnlinePerformance.Labelled> window, double threshold) {
        int n = window.size();
        int positives = 0;
        int truePositives = 0;
        int predictedPositives = 0;
        double logLoss = 0;
        double[] delays = new double[n];
        for (int i = 0; i < n; i++) {
            OnlinePerformance.Labelled row = window.get(i);
            double p = Math.min(Math.max(row.score(), 1e-15), 1 - 1e-15);
            positives += row.label() ? 1 : 0;
            logLoss -= row.label() ? Math.log(p) : Math.log(1 - p);
            if (row.score() >= threshold) {
                predictedPositives++;
                truePositives += row.label() ? 1 : 0;
            }
            delays[i] = row.delay().toMillis() / 1000.0;
        }
        Arrays.sort(delays);
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (positives > 0 && positives < n) {
            metrics.put("roc_auc", rocAuc(window, positives));
        }
        metrics.put("log_loss", logLoss / n);
        metrics.put("precision", predictedPositives == 0 ? 0 : (double) truePositives / predictedPositives);
        metrics.put("recall", positives == 0 ? 0 : (double) truePositives / positives);
        metrics.put("positive_rate", (double) positives / n);
        metrics.put("labels", (double) n);
        metrics.put("label_delay_median_seconds", delays[n / 2]);
        metrics.put("label_delay_max_seconds", delays[n - 1]);
        return new PerformanceReport(model, version, metrics);
    }

    /** The Mann–Whitney form: the share of positive/negative pairs ranked correctly, ties counting half. */
    public static double rocAuc(List<OnlinePerformance.Labelled> window, int positives) {
        OnlinePerformance.Labelled[] sorted = window.toArray(OnlinePerformance.Labelled[]::new);
        Arrays.sort(sorted, (a, b) -> Double.compare(a.score(), b.score()));
        double rankSum = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j < sorted.length && sorted[j].score() == sorted[i].score()) {
                j++;
            }
            double averageRank = (i + 1 + j) / 2.0; // ranks i+1 .. j share their average
            for (int k = i; k < j; k++) {
                if (sorted[k].label()) {
                    rankSum += averageRank;
                }
            }
            i = j;
        }
        long negatives = sorted.length - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
