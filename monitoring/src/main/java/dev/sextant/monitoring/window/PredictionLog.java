package dev.sextant.monitoring.window;

import java.time.Instant;
import java.util.Map;

/**
 * What monitoring takes from one {@code prediction-logs.v1} record: per column (a bound feature reference, or
 * {@code score}) the values of its rows, and which were defaulted; and whom it served as.
 */
public record PredictionLog(
        String requestId,
        Instant time,
        String model,
        int version,
        Map<String, double[]> columns,
        Map<String, boolean[]> defaulted,
        Serving serving) {

    /** A log that says nothing of its role, rollout or latency. */
    public PredictionLog(
            String requestId,
            Instant time,
            String model,
            int version,
            Map<String, double[]> columns,
            Map<String, boolean[]> defaulted) {
        this(requestId, time, model, version, columns, defaulted, Serving.UNKNOWN);
    }

    /**
     * The id a row's prediction is known by, the one its label names: the request id, or {@code <request id>/<row>}
     * for a row of a batch of {@code rows}.
     */
    public String rowId(int row, int rows) {
        return rows == 1 ? requestId : requestId + "/" + row;
    }

    /**
     * Whom a prediction served as, and how long it took.
     *
     * @param role the log's {@code traffic_role}; null when it has none
     * @param rollout the rollout that assigned the request or shadowed it; null when none did
     * @param revision the rollout's revision that assigned it ({@code rollout_revision}); null when absent
     * @param unit what the rollout assigned the request by ({@code assignment_unit}: its key's value, or the
     *     request id); null when absent
     * @param totalMs {@code latency_ms.total}, NaN when absent
     * @param inferenceMs {@code latency_ms.inference}, NaN when absent
     * @param error why the version failed the request (a rollout's evidence of its errors); null when it answered
     */
    public record Serving(
            String role,
            Long rollout,
            Integer revision,
            String unit,
            double totalMs,
            double inferenceMs,
            String error) {

        public static final Serving UNKNOWN = new Serving(null, null, null, null, Double.NaN, Double.NaN, null);

        public static final String SHADOW = "shadow";

        /** A shadow's scoring answered no one: it is compared, never joined with labels nor judged for drift. */
        public boolean shadow() {
            return SHADOW.equals(role);
        }

        /** A failed request has no prediction: it counts as its version's error, and for nothing else. */
        public boolean failed() {
            return error != null;
        }
    }
}
