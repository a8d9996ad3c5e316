package dev.sextant.prediction.logging;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One record of {@code prediction-logs.v1} (schema: contracts/events/prediction-logs.v1.md): what was asked, of which
 * model version, what it answered and how long it took; or, for a request a rollout assigned, why the version
 * failed it ({@code error}, with no outputs). {@code traceparent} is the request's valid W3C trace
 * context, carried as the record's {@code traceparent} header rather than in its value; a rollout's record also
 * carries its {@code rollout_id} as the header {@value #ROLLOUT_HEADER}, so a consumer of rollouts skips the others
 * without reading them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictionLog(
        int schemaVersion,
        String requestId,
        Instant time,
        String model,
        int version,
        String trafficRole,
        Long rolloutId,
        Integer rolloutRevision,
        String assignmentUnit,
        String api,
        List<Tensor> inputs,
        Map<String, List<Object>> entityKeys,
        List<FeatureColumn> features,
        Boolean degraded,
        List<Tensor> outputs,
        Map<String, Double> latencyMs,
        String error,
        String traceId,
        @JsonIgnore String traceparent) {

    public static final int SCHEMA_VERSION = 1;

    /** The header that carries a rollout's id (decimal ASCII) on the records of the requests it assigned. */
    public static final String ROLLOUT_HEADER = "sextant-rollout-id";

    /**
     * A bound feature of a domain request, column-wise: its value per row (after defaults) and whether the row
     * took the default.
     */
    public record FeatureColumn(String name, List<Object> values, List<Boolean> defaulted) {}

    /** A tensor as the Open Inference Protocol writes it: flat row-major data. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tensor(String name, String datatype, long[] shape, Object data, List<String> labels) {}
}
