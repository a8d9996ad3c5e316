package dev.sextant.monitoring.window;

import java.time.Instant;
import java.util.Map;

/**
 * What monitoring takes from one {@code prediction-logs.v1} record: per column (a bound feature reference, or
 * {@code score}) the values of its rows, and which were defaulted.
 */
public record PredictionLog(
        String requestId,
        Instant time,
        String model,
        int version,
        Map<String, double[]> columns,
        Map<String, boolean[]> defaulted) {}
