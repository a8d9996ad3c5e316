package dev.sextant.monitoring.window;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live values of one model version in one tumbling window: a sketch per column, in memory bounded whatever the
 * window's size. The partition offsets it spans tell what a restart must replay and what it must skip, and make a
 * record read again (a batch retried) count once.
 */
public final class ModelWindow {

    private final String model;
    private final int version;
    private final Instant start;
    private Instant end;
    private long predictions;
    private final Map<String, ColumnSketch> columns = new LinkedHashMap<>();
    private final Map<Integer, Long> firstOffsets = new HashMap<>();
    private final Map<Integer, Long> lastOffsets = new HashMap<>();
    private long lastArrival;

    public ModelWindow(String model, int version, Instant start) {
        this.model = model;
        this.version = version;
        this.start = start;
        this.end = start;
    }

    /** Whether a record at or before this offset of the partition is already in the window (a batch read again). */
    boolean holds(int partition, long offset) {
        Long last = lastOffsets.get(partition);
        return last != null && offset <= last;
    }

    /** Records that a partition's offset was read into the window, without counting it (a duplicate log). */
    void span(int partition, long offset, long arrival) {
        firstOffsets.putIfAbsent(partition, offset);
        lastOffsets.put(partition, offset);
        lastArrival = arrival;
    }

    /** Adds one prediction log read at a partition's offset, on arrival (a monotonic {@code System.nanoTime()}). */
    void add(PredictionLog log, int partition, long offset, long arrival) {
        span(partition, offset, arrival);
        add(log);
    }

    /** Adds one prediction log's values (a sample that is not a window of the stream: no offsets kept). */
    public void add(PredictionLog log) {
        predictions++;
        if (log.time().isAfter(end)) {
            end = log.time();
        }
        log.columns().forEach((name, values) -> {
            ColumnSketch column = columns.computeIfAbsent(name, n -> new ColumnSketch());
            boolean[] defaulted = log.defaulted().get(name);
            for (int row = 0; row < values.length; row++) {
                column.add(values[row], defaulted != null && defaulted[row]);
            }
        });
    }

    public String model() {
        return model;
    }

    public int version() {
        return version;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    public long predictions() {
        return predictions;
    }

    public Map<String, ColumnSketch> columns() {
        return columns;
    }

    /** Per partition, the offset of the window's first record: what a restart must read again. */
    Map<Integer, Long> firstOffsets() {
        return firstOffsets;
    }

    /** Per partition, the offset of the window's last record: once closed, records up to it are judged. */
    Map<Integer, Long> lastOffsets() {
        return lastOffsets;
    }

    long lastArrival() {
        return lastArrival;
    }
}
