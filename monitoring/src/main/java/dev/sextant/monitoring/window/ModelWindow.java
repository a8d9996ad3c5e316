package dev.sextant.monitoring.window;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The live values of one model version in one tumbling window: a sketch per column. A prediction's request id is
 * remembered for the window, so a log consumed twice (Kafka delivers at least once) is counted once.
 */
public final class ModelWindow {

    private final String model;
    private final int version;
    private final Instant start;
    private Instant end;
    private long predictions;
    private final Set<String> requestIds = new HashSet<>();
    private final Map<String, ColumnSketch> columns = new LinkedHashMap<>();

    ModelWindow(String model, int version, Instant start) {
        this.model = model;
        this.version = version;
        this.start = start;
        this.end = start;
    }

    /** Adds one prediction log; false when its request id was already counted in this window. */
    boolean add(PredictionLog log) {
        if (!requestIds.add(log.requestId())) {
            return false;
        }
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
        return true;
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
}
