package dev.sextant.monitoring.rollout;

import org.apache.datasketches.kll.KllDoublesSketch;

/** A stream of latencies in milliseconds, kept as a KLL sketch: its quantiles within about 1.3 % of rank. */
public final class Latency {

    private static final int K = 200;

    private final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(K);

    void add(double ms) {
        if (Double.isFinite(ms) && ms >= 0) {
            sketch.update(ms);
        }
    }

    /** The median, p99 and maximum; null when nothing was measured. */
    Quantiles quantiles() {
        if (sketch.isEmpty()) {
            return null;
        }
        return new Quantiles(sketch.getN(), sketch.getQuantile(0.5), sketch.getQuantile(0.99), sketch.getMaxItem());
    }

    /** @param count values measured */
    public record Quantiles(long count, double p50, double p99, double max) {}
}
