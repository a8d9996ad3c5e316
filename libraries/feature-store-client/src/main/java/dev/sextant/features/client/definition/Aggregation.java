package dev.sextant.features.client.definition;

import java.time.Duration;

/**
 * How a feature of a stream view is computed from the events of its topic: {@code function} of the event field
 * {@code field} (none for {@code COUNT}) over the trailing {@code window}, per entity. Windows are whole minutes
 * and aligned to minute buckets: at time t a window of W minutes holds the events of t's minute and of the W−1
 * minutes before it.
 */
public record Aggregation(Function function, String field, Duration window) {

    /** The aggregate functions; COUNT is INT64, the others FLOAT64 (null while the window is empty). */
    public enum Function {
        COUNT,
        SUM,
        MEAN,
        MIN,
        MAX;

        public ValueType type() {
            return this == COUNT ? ValueType.INT64 : ValueType.FLOAT64;
        }
    }

    /** The window in minute buckets. */
    public int windowMinutes() {
        return (int) window.toMinutes();
    }
}
