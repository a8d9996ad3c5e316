package dev.sextant.monitoring.drift;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Drift statistics between a training-time reference (the registered {@code sextant.reference.v1} summary) and a
 * window of live values (an Apache DataSketches KLL sketch, or exact frequencies for columns with few values).
 */
public final class DriftStatistics {

    /** Floor of a bin's share in PSI, so an empty bin does not make it infinite (the usual 1e-4). */
    static final double EPSILON = 1e-4;

    private DriftStatistics() {}

    /**
     * Population stability index over the reference's bins: {@code Σ (live - ref) · ln(live / ref)}.
     *
     * @param edges the reference histogram's edges: bins are below the first edge, {@code [a, b)} between, and at
     *     or above the last
     * @param expected the reference share of each bin ({@code edges.length + 1} values)
     */
    public static double psi(double[] edges, double[] expected, KllDoublesSketch live) {
        double[] actual = live.getPMF(edges, QuantileSearchCriteria.EXCLUSIVE);
        return psi(expected, actual);
    }

    static double psi(double[] expected, double[] actual) {
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], EPSILON);
            double a = Math.max(actual[i], EPSILON);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /**
     * The Kolmogorov–Smirnov statistic: the largest gap between the reference's cumulative distribution
     * (interpolated between its 101 percentiles) and the live one (the sketch's), checked at every reference
     * percentile and every live percentile.
     */
    public static double ks(double[] referencePercentiles, KllDoublesSketch live) {
        double[] ranks = new double[101];
        for (int i = 0; i <= 100; i++) {
            ranks[i] = i / 100.0;
        }
        double[] livePercentiles = live.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE);
        double max = 0;
        for (double[] points : new double[][] {referencePercentiles, livePercentiles}) {
            for (double x : points) {
                double gap = Math.abs(
                        referenceCdf(referencePercentiles, x) - live.getRank(x, QuantileSearchCriteria.INCLUSIVE));
                max = Math.max(max, gap);
                // Just below x as well: the largest gap of a step function can sit on either side of a step.
                double below = Math.nextDown(x);
                max = Math.max(
                        max,
                        Math.abs(referenceCdf(referencePercentiles, below)
                                - live.getRank(below, QuantileSearchCriteria.INCLUSIVE)));
            }
        }
        return max;
    }

    /** The reference's cumulative share at x, linear between percentiles, stepping where percentiles repeat. */
    static double referenceCdf(double[] p, double x) {
        int n = p.length - 1;
        if (x < p[0]) {
            return 0;
        }
        if (x >= p[n]) {
            return 1;
        }
        int j = 0;
        while (j < n && p[j + 1] <= x) {
            j++;
        }
        double within = p[j + 1] > p[j] ? (x - p[j]) / (p[j + 1] - p[j]) : 0;
        return (j + within) / n;
    }

    /** Jensen–Shannon distance (base 2, in [0, 1]) between two distributions over categories. */
    public static double jensenShannon(Map<String, Double> reference, Map<String, Double> live) {
        Set<String> categories = new HashSet<>(reference.keySet());
        categories.addAll(live.keySet());
        double divergence = 0;
        for (String category : categories) {
            double p = reference.getOrDefault(category, 0.0);
            double q = live.getOrDefault(category, 0.0);
            double m = (p + q) / 2;
            if (p > 0) {
                divergence += 0.5 * p * Math.log(p / m) / Math.log(2);
            }
            if (q > 0) {
                divergence += 0.5 * q * Math.log(q / m) / Math.log(2);
            }
        }
        return Math.sqrt(Math.max(0, divergence));
    }

    /**
     * Pearson's chi-squared goodness-of-fit test of the live counts ({@code n} values with these shares) against the
     * reference's shares, over the categories of both: the statistic and its p-value (chi-squared distribution with
     * categories - 1 degrees of freedom, Apache Commons Statistics). A category the reference never had is expected
     * with share {@link #EPSILON}, so it weighs heavily without making the statistic infinite.
     *
     * @return {statistic, p-value}; {0, 1} with a single category
     */
    public static double[] chiSquared(Map<String, Double> reference, Map<String, Double> live, long n) {
        java.util.Set<String> categories = new java.util.HashSet<>(reference.keySet());
        categories.addAll(live.keySet());
        if (categories.size() < 2 || n == 0) {
            return new double[] {0, 1};
        }
        double statistic = 0;
        for (String category : categories) {
            double expected = n * Math.max(reference.getOrDefault(category, 0.0), EPSILON);
            double observed = n * live.getOrDefault(category, 0.0);
            statistic += (observed - expected) * (observed - expected) / expected;
        }
        double p = org.apache.commons.statistics.distribution.ChiSquaredDistribution.of(categories.size() - 1)
                .survivalProbability(statistic);
        return new double[] {statistic, p};
    }

    /** PSI over categories: a category missing on one side counts with share {@link #EPSILON}. */
    public static double psi(Map<String, Double> reference, Map<String, Double> live) {
        Set<String> categories = new HashSet<>(reference.keySet());
        categories.addAll(live.keySet());
        double[] expected = new double[categories.size()];
        double[] actual = new double[categories.size()];
        int i = 0;
        for (String category : categories) {
            expected[i] = reference.getOrDefault(category, 0.0);
            actual[i++] = live.getOrDefault(category, 0.0);
        }
        return psi(expected, actual);
    }
}
