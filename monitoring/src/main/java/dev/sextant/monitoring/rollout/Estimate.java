package dev.sextant.monitoring.rollout;

/**
 * A quality metric's value on a version's labelled predictions, its standard error, and which way is better: what
 * the guards and the A/B test compare between versions.
 *
 * @param sampled how many labelled predictions the value is computed from (the AUCs: at most the sample's
 *     {@value Quality#SAMPLE})
 */
record Estimate(double value, double error, boolean higherIsBetter, long sampled) {

    /** The metric's estimate, or null when it is unknown or not yet computable (one class only, one label). */
    static Estimate of(String metric, Quality.View quality) {
        long sampled = Math.min(quality.labels(), Quality.SAMPLE);
        return switch (metric == null ? "" : metric) {
            case "roc_auc" -> of(quality.rocAuc(), quality.rocAucStandardError(), true, sampled);
            case "pr_auc" -> of(quality.prAuc(), quality.prAucStandardError(), true, sampled);
            case "log_loss" -> of(quality.logLoss(), quality.logLossStandardError(), false, quality.labels());
            case "calibration" ->
                of(Math.abs(quality.calibration()), quality.calibrationStandardError(), false, quality.labels());
            default -> null;
        };
    }

    private static Estimate of(Double value, Double error, boolean higherIsBetter, long sampled) {
        return value == null || error == null ? null : new Estimate(value, error, higherIsBetter, sampled);
    }

    /** How much better {@code other} is than this: positive when better, whichever way the metric improves. */
    double improvementOf(Estimate other) {
        return higherIsBetter ? other.value - value : value - other.value;
    }

    /** The variance of the difference between this and an estimate on other requests (independent). */
    double differenceVariance(Estimate other) {
        return error * error + other.error * other.error;
    }

    /** The variance of one labelled prediction's contribution, as this estimate's error implies it. */
    double unitVariance() {
        return error * error * sampled;
    }
}
