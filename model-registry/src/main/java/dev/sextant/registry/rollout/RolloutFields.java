package dev.sextant.registry.rollout;

import dev.sextant.registry.api.ApiException;
import java.util.List;
import java.util.TreeSet;

/** The field checks of a rollout: each refuses a bad value with a 400 that names the field and what it takes. */
final class RolloutFields {

    private RolloutFields() {}

    static void checkGuards(RolloutSpec.Guards guards) {
        if (guards == null) {
            return;
        }
        if (guards.maxLatencyRatio() != null
                && (!(guards.maxLatencyRatio() >= 1) || Double.isInfinite(guards.maxLatencyRatio()))) {
            throw ApiException.badRequest(
                    "guards.max_latency_ratio must be a number of at least 1, got " + guards.maxLatencyRatio());
        }
        if (guards.maxErrorRate() != null) {
            fraction("guards.max_error_rate", guards.maxErrorRate(), true);
        }
        RolloutSpec.Quality quality = guards.quality();
        if (quality != null) {
            metric("guards.quality.metric", quality.metric());
            if (quality.maxDegradation() == null
                    || !(quality.maxDegradation() >= 0)
                    || Double.isInfinite(quality.maxDegradation())) {
                throw ApiException.badRequest("guards.quality.max_degradation must be a number of at least 0, got "
                        + quality.maxDegradation());
            }
            open("guards.quality.alpha", quality.alpha(), 0, 0.5);
        }
    }

    /** Weights in percent, one per arm, each at least {@code floor} percent, summing to 100. */
    static void checkWeights(String field, List<Double> weights, int arms, double floor) {
        if (weights.size() != arms) {
            throw ApiException.badRequest(field + " must hold " + arms + " weights (the champion's, then each"
                    + " challenger's), got " + weights.size());
        }
        double sum = 0;
        for (int i = 0; i < weights.size(); i++) {
            Double weight = weights.get(i);
            percent(field + "[" + i + "]", weight);
            if (weight < floor - 1e-9) {
                throw ApiException.badRequest(
                        field + "[" + i + "] must be at least " + floor + " (the exploration floor), got " + weight);
            }
            sum += weight;
        }
        if (Math.abs(sum - 100) > 1e-6) {
            throw ApiException.badRequest(field + " must sum to 100, got " + sum);
        }
    }

    static void metric(String field, String metric) {
        if (metric == null || !RolloutPlans.METRICS.contains(metric)) {
            throw ApiException.badRequest(
                    field + " must be one of " + new TreeSet<>(RolloutPlans.METRICS) + ", got '" + metric + "'");
        }
    }

    static void percent(String field, Double value) {
        if (value == null || !(value >= 0 && value <= 100)) {
            throw ApiException.badRequest(field + " must be a percentage between 0 and 100, got " + value);
        }
    }

    static void fraction(String field, Double value, boolean zeroAllowed) {
        boolean ok = value != null && value <= 1 && (zeroAllowed ? value >= 0 : value > 0);
        if (!ok) {
            throw ApiException.badRequest(
                    field + " must be a fraction " + (zeroAllowed ? "in [0, 1]" : "in (0, 1]") + ", got " + value);
        }
    }

    static void open(String field, Double value, double low, double high) {
        if (value == null || !(value > low && value < high)) {
            throw ApiException.badRequest(
                    field + " must be between " + low + " and " + high + " (exclusive), got " + value);
        }
    }

    static void atLeastZero(String field, Long value) {
        if (value != null && value < 0) {
            throw ApiException.badRequest(field + " must not be negative, got " + value);
        }
    }
}
