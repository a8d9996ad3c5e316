package dev.sextant.features.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One entity's events of a stream view, summarised in one-minute buckets: per bucket the event count and, per
 * numeric field the view aggregates, the sum, minimum and maximum. Only non-empty buckets are kept, oldest first,
 * and only as far back as the view's longest window. Also holds the time of the last row emitted from it, so
 * rows of an entity never go back in time.
 */
final class WindowState {

    static final long MINUTE_MS = 60_000;

    private final int fields;
    private long rowTimeMs;
    private int size;
    private long[] minutes;
    private long[] counts;
    /** Per bucket and field: sum, min, max. */
    private double[] stats;

    WindowState(int fields) {
        this(fields, Long.MIN_VALUE, 0, new long[4], new long[4], new double[4 * 3 * fields]);
    }

    private WindowState(int fields, long rowTimeMs, int size, long[] minutes, long[] counts, double[] stats) {
        this.fields = fields;
        this.rowTimeMs = rowTimeMs;
        this.size = size;
        this.minutes = minutes;
        this.counts = counts;
        this.stats = stats;
    }

    static long minute(long epochMs) {
        return Math.floorDiv(epochMs, MINUTE_MS);
    }

    /** The time of the last row emitted for this entity; {@code Long.MIN_VALUE} before the first. */
    long rowTimeMs() {
        return rowTimeMs;
    }

    void rowEmittedAt(long epochMs) {
        rowTimeMs = epochMs;
    }

    /** How many non-empty buckets there are, oldest first. */
    int buckets() {
        return size;
    }

    /** The minute of bucket {@code b}, oldest first. */
    long bucketMinute(int b) {
        return minutes[b];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds one event with its field values (in the view's field order) to its minute's bucket. */
    void add(long eventMs, double[] values) {
        long minute = minute(eventMs);
        int at = Arrays.binarySearch(minutes, 0, size, minute);
        if (at < 0) {
            at = insert(-at - 1, minute);
        }
        counts[at]++;
        int base = at * 3 * fields;
        for (int f = 0; f < fields; f++) {
            int i = base + 3 * f;
            double value = values[f];
            if (counts[at] == 1) {
                stats[i] = value;
                stats[i + 1] = value;
                stats[i + 2] = value;
            } else {
                stats[i] += value;
                stats[i + 1] = Math.min(stats[i + 1], value);
                stats[i + 2] = Math.max(stats[i + 2], value);
            }
        }
    }

    /** Drops the buckets before {@code firstMinute}. */
    void dropBefore(long firstMinute) {
        int keep = 0;
        while (keep < size && minutes[keep] < firstMinute) {
            keep++;
        }
        if (keep == 0) {
            return;
        }
        System.arraycopy(minutes, keep, minutes, 0, size - keep);
        System.arraycopy(counts, keep, counts, 0, size - keep);
        System.arraycopy(stats, keep * 3 * fields, stats, 0, (size - keep) * 3 * fields);
        size -= keep;
    }

    /** Events in the window of {@code windowMinutes} at {@code minute}: that minute and the ones before it. */
    long count(long minute, int windowMinutes) {
        long count = 0;
        for (int b = first(minute, windowMinutes); b < size && minutes[b] <= minute; b++) {
            count += counts[b];
        }
        return count;
    }

    double sum(long minute, int windowMinutes, int field) {
        double sum = 0;
        for (int b = first(minute, windowMinutes); b < size && minutes[b] <= minute; b++) {
            sum += stats[(b * fields + field) * 3];
        }
        return sum;
    }

    /** The minimum ({@code max} false) or maximum of a field in the window; NaN when it is empty. */
    double extreme(long minute, int windowMinutes, int field, boolean max) {
        double extreme = Double.NaN;
        for (int b = first(minute, windowMinutes); b < size && minutes[b] <= minute; b++) {
            double value = stats[(b * fields + field) * 3 + (max ? 2 : 1)];
            extreme = Double.isNaN(extreme) ? value : max ? Math.max(extreme, value) : Math.min(extreme, value);
        }
        return extreme;
    }

    private int first(long minute, int windowMinutes) {
        int at = Arrays.binarySearch(minutes, 0, size, minute - windowMinutes + 1);
        return at < 0 ? -at - 1 : at;
    }

    private int insert(int at, long minute) {
        if (size == minutes.length) {
            int capacity = size * 2;
            minutes = Arrays.copyOf(minutes, capacity);
            counts = Arrays.copyOf(counts, capacity);
            stats = Arrays.copyOf(stats, capacity * 3 * fields);
        }
        System.arraycopy(minutes, at, minutes, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        System.arraycopy(stats, at * 3 * fields, stats, (at + 1) * 3 * fields, (size - at) * 3 * fields);
        minutes[at] = minute;
        counts[at] = 0;
        size++;
        return at;
    }

    /** The state's bytes in the Kafka Streams store and its changelog: compact, little work per update. */
    static Serde<WindowState> serde(int fields) {
        Serializer<WindowState> serializer = (topic, state) -> {
            if (state == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(12 + state.size * (16 + 24 * fields));
            buffer.putLong(state.rowTimeMs).putInt(state.size);
            for (int b = 0; b < state.size; b++) {
                buffer.putLong(state.minutes[b]).putLong(state.counts[b]);
                for (int i = b * 3 * fields; i < (b + 1) * 3 * fields; i++) {
                    buffer.putDouble(state.stats[i]);
                }
            }
            return buffer.array();
        };
        Deserializer<WindowState> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long rowTime = buffer.getLong();
            int size = buffer.getInt();
            int capacity = Math.max(4, size);
            long[] minutes = new long[capacity];
            long[] counts = new long[capacity];
            double[] stats = new double[capacity * 3 * fields];
            for (int b = 0; b < size; b++) {
                minutes[b] = buffer.getLong();
                counts[b] = buffer.getLong();
                for (int i = b * 3 * fields; i < (b + 1) * 3 * fields; i++) {
                    stats[i] = buffer.getDouble();
                }
            }
            return new WindowState(fields, rowTime, size, minutes, counts, stats);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
