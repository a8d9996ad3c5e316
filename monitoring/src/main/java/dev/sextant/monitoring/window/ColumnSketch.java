package dev.sextant.monitoring.window;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * One column's live values in a window, in bounded memory: a KLL sketch (k = 200, as the reference's), the count,
 * how many were defaulted, and exact value counts while the column has at most 20 distinct values.
 */
public final class ColumnSketch {

    static final int K = 200;
    static final int MAX_DISTINCT = 20;

    private final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(K);
    private long defaulted;
    private Map<Float, Long> counts = new TreeMap<>();

    void add(double value, boolean wasDefaulted) {
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

    public long count() {
        return sketch.getN();
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
        counts.forEach((value, count) -> shares.put(Float.toString(value), (double) count / count()));
        return shares;
    }
}
