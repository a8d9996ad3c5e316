package dev.sextant.monitoring.drift;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A closed window of one model version judged against the version's reference.
 *
 * @param status the worst column's drift severity; {@code insufficient_data} when the window held fewer values than the
 *     minimum, {@code no_reference} when the version has no reference distributions
 * @param qualityStatus the worst column's data-quality severity
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
        Severity qualityStatus,
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
     * @param quality {@code defaulted_rate}, {@code nan_rate}, {@code out_of_range_rate} (against the reference's
     *     min and max) and, for few-valued columns, {@code unknown_rate}
     * @param qualitySeverity the worst of the quality rates against their thresholds
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ColumnDrift(
            long samples,
            double defaultedRate,
            Map<String, Double> statistics,
            Severity severity,
            Map<String, Double> quality,
            Severity qualitySeverity) {}
}
