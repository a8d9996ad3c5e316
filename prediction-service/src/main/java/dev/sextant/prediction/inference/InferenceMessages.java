package dev.sextant.prediction.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The Open Inference Protocol's REST messages (KServe "V2"). */
final class InferenceMessages {

    private InferenceMessages() {}

    record InferRequest(
            String id, Map<String, Object> parameters, List<RequestInput> inputs, List<RequestOutput> outputs) {}

    /** The shape as JSON, so that {@code [1.5, 20]} is refused rather than read as {@code [1, 20]}. */
    record RequestInput(String name, JsonNode shape, String datatype, Map<String, Object> parameters, JsonNode data) {}

    record RequestOutput(String name, Map<String, Object> parameters) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferResponse(
            String modelName,
            String modelVersion,
            String id,
            Map<String, Object> parameters,
            List<ResponseOutput> outputs) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ResponseOutput(String name, String datatype, long[] shape, Map<String, Object> parameters, Object data) {}

    record TensorMetadata(String name, String datatype, List<Long> shape) {}

    /** The protocol's model metadata, and (an extension) the execution provider the version runs on. */
    record ModelMetadata(
            String name,
            List<String> versions,
            String platform,
            List<TensorMetadata> inputs,
            List<TensorMetadata> outputs,
            String executionProvider) {}

    record ServerMetadata(String name, String version, List<String> extensions) {}

    record Live(boolean live) {}

    record Ready(boolean ready) {}

    /** Model readiness, and (an extension) why the model's latest load failed, while its older version serves. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelReady(String name, boolean ready, String lastLoadFailure) {}

    record Error(String error) {}
}
