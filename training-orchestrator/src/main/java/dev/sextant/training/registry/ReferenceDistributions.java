package dev.sextant.training.registry;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Training-time distributions of every model input and of the score, registered with the version for the monitor
 * (format {@code sextant.reference.v1}, documented in the orchestrator's README): per column an Apache DataSketches
 * KLL sketch (serialized, mergeable with the monitor's own sketches of live traffic), plus readable summaries —
 * count, missing, min, max, mean, quantiles and a decile histogram.
 */
public final class ReferenceDistributions {

    public static final String FORMAT = "sextant.reference.v1";
    static final int K = 200;
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
        document.put("sketch", "kll_doubles");
        document.put("k", K);
        document.put("split", split);
        document.put("rows", rows);
        document.put("from", from);
        document.put("to", to);
        document.put("features", features);
        document.put("score", score);
        return document;
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
        summary.put("kll", Base64.getEncoder().encodeToString(sketch.toByteArray()));
        return summary;
    }
}
