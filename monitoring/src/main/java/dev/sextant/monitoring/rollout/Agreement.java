package dev.sextant.monitoring.rollout;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * How a rollout's shadow agrees with the versions that answered the same requests: the answer's score and the
 * shadow's, paired by request id (and row), whichever log comes first waiting for the other in a bounded map (the
 * oldest forgotten). Per pair, the score difference (shadow minus answer) and whether the decision at the threshold
 * flips. Not thread-safe: used under its rollout's lock.
 */
public final class Agreement {

    private static final int K = 200;

    private final double threshold;
    private final Map<String, Double> answers;
    private final Map<String, Double> shadows;
    private final KllDoublesSketch absoluteDifference = KllDoublesSketch.newHeapInstance(K);
    private double differenceSum;
    private long flips;

    Agreement(double threshold, int capacity) {
        this.threshold = threshold;
        this.answers = bounded(capacity);
        this.shadows = bounded(capacity);
    }

    void answered(String id, double score) {
        Double shadow = shadows.remove(id);
        if (shadow == null) {
            answers.put(id, score);
        } else {
            pair(score, shadow);
        }
    }

    void shadowed(String id, double score) {
        Double answer = answers.remove(id);
        if (answer == null) {
            shadows.put(id, score);
        } else {
            pair(answer, score);
        }
    }

    private void pair(double answer, double shadow) {
        if (!Double.isFinite(answer) || !Double.isFinite(shadow)) {
            return;
        }
        absoluteDifference.update(Math.abs(shadow - answer));
        differenceSum += shadow - answer;
        if ((answer >= threshold) != (shadow >= threshold)) {
            flips++;
        }
    }

    /** The comparison so far; null before the first pair. */
    View view(int shadowVersion) {
        long pairs = absoluteDifference.getN();
        if (pairs == 0) {
            return null;
        }
        return new View(
                shadowVersion,
                pairs,
                differenceSum / pairs,
                absoluteDifference.getQuantile(0.5),
                absoluteDifference.getQuantile(0.99),
                absoluteDifference.getMaxItem(),
                threshold,
                flips,
                (double) flips / pairs);
    }

    /**
     * @param version the shadow version
     * @param pairs requests scored by both
     * @param meanDifference the mean of shadow minus answer
     * @param absoluteDifferenceP50 the median of |shadow − answer|
     * @param absoluteDifferenceP99 its 99th percentile
     * @param absoluteDifferenceMax its maximum
     * @param threshold the decision threshold ({@code sextant.monitoring.performance.threshold})
     * @param decisionFlips pairs whose decisions at the threshold differ
     * @param flipRate decision flips over pairs
     */
    public record View(
            int version,
            long pairs,
            double meanDifference,
            double absoluteDifferenceP50,
            double absoluteDifferenceP99,
            double absoluteDifferenceMax,
            double threshold,
            long decisionFlips,
            double flipRate) {}

    private static Map<String, Double> bounded(int capacity) {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
                return size() > capacity;
            }
        };
    }
}
