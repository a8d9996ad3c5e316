package dev.sextant.prediction.logging;

import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.runtime.Tensor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the prediction log of a request. */
public final class PredictionLogs {

    /** W3C trace context: version, 32-hex trace id, 16-hex parent id, flags. */
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");

    private PredictionLogs() {}

    public static PredictionLog of(
            String requestId,
            LoadedModel model,
            Traffic traffic,
            List<Tensor> inputs,
            Collection<Tensor> outputs,
            long totalNanos,
            long inferenceNanos,
            String traceparent) {
        return record(
                requestId,
                model,
                traffic,
                "oip",
                inputs.stream().map(PredictionLogs::tensor).toList(),
                null,
                null,
                null,
                outputs,
                Map.of("total", totalNanos / 1e6, "inference", inferenceNanos / 1e6),
                null,
                traceparent);
    }

    /**
     * The log of a domain request's run over some of its rows: the entity keys and bound features of those rows
     * instead of input tensors.
     *
     * @param columns the bound feature references, in column order
     * @param values per row of the run, the value of each column
     * @param defaulted per row of the run, the references that took their default
     */
    public static PredictionLog ofDomain(
            String requestId,
            LoadedModel model,
            Traffic traffic,
            Map<String, List<Object>> entityKeys,
            List<String> columns,
            List<Object[]> values,
            List<List<String>> defaulted,
            boolean degraded,
            Collection<Tensor> outputs,
            Map<String, Double> latencyMs,
            String traceparent) {
        List<PredictionLog.FeatureColumn> features = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            String ref = columns.get(c);
            List<Object> columnValues = new ArrayList<>(values.size());
            List<Boolean> columnDefaulted = new ArrayList<>(values.size());
            for (int row = 0; row < values.size(); row++) {
                columnValues.add(values.get(row)[c]);
                columnDefaulted.add(defaulted.get(row).contains(ref));
            }
            features.add(new PredictionLog.FeatureColumn(ref, columnValues, columnDefaulted));
        }
        return record(
                requestId,
                model,
                traffic,
                "predict",
                null,
                entityKeys,
                features,
                degraded,
                outputs,
                latencyMs,
                null,
                traceparent);
    }

    /**
     * The log of a shadow's scoring of the answer's own inputs (the same checked tensors, or the same assembled
     * features): its outputs and timing only, since its inputs are those of the answer's log, which has the same
     * request id. A shadow with another feature binding logs its own features ({@link #ofDomain}).
     */
    public static PredictionLog ofShadow(
            String requestId,
            LoadedModel model,
            Traffic traffic,
            String api,
            Collection<Tensor> outputs,
            Map<String, Double> latencyMs,
            String traceparent) {
        return record(requestId, model, traffic, api, null, null, null, null, outputs, latencyMs, null, traceparent);
    }

    /**
     * The log of a request a version failed (a rollout's evidence of its errors): who it was for, how long it took,
     * and the outcome it failed with; no inputs, features or outputs.
     *
     * @param error the outcome, as the service's request metrics tag it (e.g. {@code runtime_error})
     */
    public static PredictionLog ofError(
            String requestId,
            LoadedModel model,
            Traffic traffic,
            String api,
            String error,
            long totalNanos,
            String traceparent) {
        return record(
                requestId,
                model,
                traffic,
                api,
                null,
                null,
                null,
                null,
                null,
                Map.of("total", totalNanos / 1e6),
                error,
                traceparent);
    }

    private static PredictionLog record(
            String requestId,
            LoadedModel model,
            Traffic traffic,
            String api,
            List<PredictionLog.Tensor> inputs,
            Map<String, List<Object>> entityKeys,
            List<PredictionLog.FeatureColumn> features,
            Boolean degraded,
            Collection<Tensor> outputs,
            Map<String, Double> latencyMs,
            String error,
            String traceparent) {
        String traceId = traceId(traceparent);
        return new PredictionLog(
                PredictionLog.SCHEMA_VERSION,
                requestId,
                Instant.now(),
                model.name(),
                model.version(),
                traffic.role(),
                traffic.rollout(),
                traffic.revision(),
                traffic.unit(),
                api,
                inputs,
                entityKeys,
                features,
                degraded,
                outputs == null
                        ? null
                        : outputs.stream().map(PredictionLogs::tensor).toList(),
                latencyMs,
                error,
                traceId,
                traceId == null ? null : traceparent.strip());
    }

    static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        Matcher matcher = TRACEPARENT.matcher(traceparent.strip());
        return matcher.matches() ? matcher.group(1) : null;
    }

    private static PredictionLog.Tensor tensor(Tensor tensor) {
        return new PredictionLog.Tensor(
                tensor.name(),
                tensor.datatype().name(),
                tensor.shape(),
                tensor.datatype().jsonValues(tensor.values()),
                tensor.labels());
    }
}
