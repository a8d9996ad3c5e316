package dev.sextant.monitoring.window;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * One column's live values in a window, in bounded memory: a KLL sketch (k = 200, as the reference's), the count,
 * how many were defaulted or NaN, and exact value counts while the column has at most 20 distinct values.
 */
public final class ColumnSketch {

    static final int K = 200;
    static final int MAX_DISTINCT = 20;

    private final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(K);
    private long defaulted;
    private long nans;
    private Map<Float, Long> counts = new TreeMap<>();

    void add(double value, boolean wasDefaulted) {
        if (Double.isNaN(value)) {
            nans++; // not a value the sketch can hold
            return;
        }
        sketch.update(value);
        if (wasDefaulted) {
            defaulted++;
        }
        if (counts != null) {
            counts.merge((float) value, 1L, Long::sum);
            if (counts.size() > MAX_DISTINCT) {
                counts = null;
            }
        }
    }

    public KllDoublesSketch sketch() {
        return sketch;
    }

    /** Values seen, NaN included. */
    public long count() {
        return sketch.getN() + nans;
    }

    /** Values that were NaN (or not a number at all). */
    public long nans() {
        return nans;
    }

    public long defaulted() {
        return defaulted;
    }

    /** Value shares keyed as the reference keys them ({@code Float.toString}), or null with many values. */
    public Map<String, Double> frequencies() {
        if (counts == null) {
            return null;
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        long numbers = sketch.getN();
        counts.forEach((value, count) -> shares.put(Float.toString(value), (double) count / numbers));
        return shares;
    }
}
