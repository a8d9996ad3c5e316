package dev.sextant.prediction.predict;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** The domain API's messages, {@code POST /api/v1/predict/{model}}. */
final class PredictMessages {

    private PredictMessages() {}

    @Schema(
            description = "One row (entities and request) or a batch (rows), not both. Join keys of entities the"
                    + " model does not read are ignored; request values it does not take are ignored.",
            example = "{\"id\": \"pay-1\", \"entities\": {\"card_id\": \"c-1\", \"merchant_id\": \"m-7\"},"
                    + " \"request\": {\"amount\": 120.5, \"country\": \"FR\"}}")
    record PredictRequest(
            @Schema(description = "request id, echoed and logged; generated when absent") String id,
            @Schema(description = "join key values, e.g. {\"card_id\": \"c-1\"}") Map<String, Object> entities,
            @Schema(
                            description = "request-time values: the model's request:name features and the inputs of its"
                                    + " on-demand features")
                    Map<String, Object> request,
            @Schema(description = "the batch form: one entry per row") List<Row> rows) {}

    record Row(Map<String, Object> entities, Map<String, Object> request) {}

    /**
     * A single row's answer has {@code outputs} and {@code defaulted}; a batch's has {@code predictions}, one per
     * row in order.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PredictResponse(
            String model,
            int version,
            @Schema(
                            description = "which part the version plays: champion, challenger (a rollout assigned the"
                                    + " request to it), or explicit_version (the request named it)")
                    String role,
            String requestId,
            @Schema(
                            description =
                                    "true when the online store could not be read and every online feature took its"
                                            + " default (the model's policy is degrade)")
                    boolean degraded,
            @Schema(
                            description = "per model output: a number, an array, or for a classifier's probabilities a"
                                    + " map of label to probability")
                    Map<String, Object> outputs,
            @Schema(description = "the bound features that took their default (missing, null or stale)")
                    List<String> defaulted,
            List<Prediction> predictions) {}

    record Prediction(Map<String, Object> outputs, List<String> defaulted) {}
}
