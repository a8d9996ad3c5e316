package dev.sextant.prediction.logging;

import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.runtime.Tensor;
import java.time.Instant;
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
            String trafficRole,
            List<Tensor> inputs,
            Collection<Tensor> outputs,
            long totalNanos,
            long inferenceNanos,
            String traceparent) {
        return new PredictionLog(
                PredictionLog.SCHEMA_VERSION,
                requestId,
                Instant.now(),
                model.name(),
                model.version(),
                trafficRole,
                "oip",
                inputs.stream().map(PredictionLogs::tensor).toList(),
                outputs.stream().map(PredictionLogs::tensor).toList(),
                Map.of("total", totalNanos / 1e6, "inference", inferenceNanos / 1e6),
                traceId(traceparent));
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
                tensor.name(), tensor.datatype().name(), tensor.shape(), tensor.values(), tensor.labels());
    }
}
