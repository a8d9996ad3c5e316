package dev.sextant.monitoring.window;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.LongsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * One column's live values in a window, in bounded memory: a KLL sketch (k = 200, as the reference's), the count,
 * how many were defaulted or NaN, and a frequent-items sketch of its values (flags, categories) while the column has
 * at most 20 distinct values.
 */
public final class ColumnSketch {

    static final int K = 200;
    static final int MAX_DISTINCT = 20;
    /** The frequent-items map's size: exact up to 48 distinct values, more than {@link #MAX_DISTINCT}. */
    static final int MAP_SIZE = 64;

    private final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(K);
    private long defaulted;
    private long nans;
    /** Frequent items (DataSketches) over the values as floats; dropped once the column has too many values. */
    private LongsSketch counts = new LongsSketch(MAP_SIZE);

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
            counts.update(Float.floatToIntBits((float) value));
            if (counts.getNumActiveItems() > MAX_DISTINCT) {
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

    /**
     * Value shares keyed as the reference keys them ({@code Float.toString}), or null with many values. Exact: with
     * at most {@value #MAX_DISTINCT} values the sketch's map never purges (its maximum error is 0).
     */
    public Map<String, Double> frequencies() {
        if (counts == null || counts.getMaximumError() > 0) {
            return null;
        }
        Map<Float, Long> sorted = new TreeMap<>();
        for (LongsSketch.Row row : counts.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES)) {
            sorted.put(Float.intBitsToFloat((int) row.getItem()), row.getEstimate());
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        long numbers = sketch.getN();
        sorted.forEach((value, count) -> shares.put(Float.toString(value), (double) count / numbers));
        return shares;
    }
}
