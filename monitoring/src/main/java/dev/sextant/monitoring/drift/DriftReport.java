package dev.sextant.monitoring.drift;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A closed window of one model version judged against the version's reference.
 *
 * @param status the worst column's severity; {@code insufficient_data} when the window held fewer values than the
 *     minimum, {@code no_reference} when the version has no reference distributions
 * @param columns by feature reference, and {@code score} for the prediction drift
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DriftReport(
        String model,
        int version,
        Instant windowStart,
        Instant windowEnd,
        long predictions,
        Severity status,
        Map<String, ColumnDrift> columns) {

    /** How far a statistic is past its thresholds. */
    public enum Severity {
        OK,
        WARN,
        ALERT,
        INSUFFICIENT_DATA,
        NO_REFERENCE
    }

    /**
     * One column's drift in the window.
     *
     * @param samples live values
     * @param defaultedRate share of them that were the binding's default (missing or stale)
     * @param statistics {@code psi} and {@code ks} for numbers; {@code psi} and {@code jensen_shannon} for columns
     *     with few values
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ColumnDrift(long samples, double defaultedRate, Map<String, Double> statistics, Severity severity) {}
}
