package dev.sextant.training.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Training-time distributions of every model input and of the score, registered with the version for the monitor
 * (format {@code sextant.reference.v1}, documented in the orchestrator's README). Per column: count, missing, min,
 * max, mean, every percentile (101 values, from an Apache DataSketches KLL sketch) — enough for PSI over any bins
 * and for the Kolmogorov–Smirnov statistic against live traffic — a decile histogram, and for columns with few
 * distinct values (booleans, flags, small counts) their exact frequencies.
 *
 * <p>The sketch itself is not serialized: DataSketches 7's serialization goes through datasketches-memory 4, which
 * needs {@code --add-modules jdk.incubator.foreign} on Java 17 and does not run on Java 21+.
 */
public final class ReferenceDistributions {

    public static final String FORMAT = "sextant.reference.v1";
    static final int K = 200;
    static final int MAX_DISTINCT = 20;
    private static final double[] RANKS = {0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99};

    private final Map<String, Object> features = new LinkedHashMap<>();
    private Map<String, Object> score;

    /**
     * Adds an input column.
     *
     * @param values as the model received them (defaults applied)
     * @param missing how many rows had no value and got the default
     */
    public ReferenceDistributions feature(String ref, float[] values, int missing) {
        features.put(ref, summary(values, missing));
        return this;
    }

    public ReferenceDistributions score(float[] scores) {
        this.score = summary(scores, 0);
        return this;
    }

    /** The document registered as {@code reference_distributions}. */
    public Map<String, Object> document(String split, int rows, String from, String to) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", FORMAT);
        document.put("quantiles_from", "Apache DataSketches KLL, k=" + K);
        document.put("split", split);
        document.put("rows", rows);
        document.put("from", from);
        document.put("to", to);
        document.put("features", features);
        document.put("score", score);
        return document;
    }

    /** Exact value frequencies when the column has at most {@value #MAX_DISTINCT} distinct values, else null. */
    static Map<String, Double> frequencies(float[] values) {
        Map<Float, Integer> counts = new java.util.TreeMap<>();
        for (float value : values) {
            counts.merge(value, 1, Integer::sum);
            if (counts.size() > MAX_DISTINCT) {
                return null;
            }
        }
        Map<String, Double> frequencies = new LinkedHashMap<>();
        counts.forEach((value, count) -> frequencies.put(Float.toString(value), (double) count / values.length));
        return frequencies;
    }

    static Map<String, Object> summary(float[] values, int missing) {
        KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(K);
        double sum = 0;
        for (float value : values) {
            sketch.update(value);
            sum += value;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", values.length);
        summary.put("missing", missing);
        if (values.length == 0) {
            return summary;
        }
        summary.put("min", sketch.getMinItem());
        summary.put("max", sketch.getMaxItem());
        summary.put("mean", sum / values.length);
        Map<String, Double> quantiles = new LinkedHashMap<>();
        double[] q = sketch.getQuantiles(RANKS, QuantileSearchCriteria.INCLUSIVE);
        for (int i = 0; i < RANKS.length; i++) {
            quantiles.put("p" + Math.round(RANKS[i] * 100), q[i]);
        }
        summary.put("quantiles", quantiles);
        // Decile edges, deduplicated (a column with few distinct values has fewer bins).
        List<Double> edges = new ArrayList<>();
        double[] deciles = sketch.getQuantiles(
                new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}, QuantileSearchCriteria.INCLUSIVE);
        for (double edge : deciles) {
            if (edge > sketch.getMinItem()
                    && edge < sketch.getMaxItem()
                    && (edges.isEmpty() || edge > edges.get(edges.size() - 1))) {
                edges.add(edge);
            }
        }
        double[] splitPoints = edges.stream().mapToDouble(Double::doubleValue).toArray();
        double[] fractions = sketch.getPMF(splitPoints, QuantileSearchCriteria.EXCLUSIVE);
        summary.put("histogram", Map.of("edges", edges, "fractions", fractions));
        double[] ranks = new double[101];
        for (int i = 0; i <= 100; i++) {
            ranks[i] = i / 100.0;
        }
        summary.put("percentiles", sketch.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE));
        Map<String, Double> frequencies = frequencies(values);
        if (frequencies != null) {
            summary.put("frequencies", frequencies);
        }
        return summary;
    }
}
