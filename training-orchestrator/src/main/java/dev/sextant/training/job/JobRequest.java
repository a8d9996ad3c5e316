package dev.sextant.training.job;

import dev.sextant.training.TrainingProperties.Alternative;
import dev.sextant.training.TrainingProperties.FeatureSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a trigger asks for. Only {@code model} is required when the model has a recipe
 * ({@code sextant.training.models}); everything else overrides the recipe or the defaults.
 */
public record JobRequest(
        @Schema(description = "registered model the candidate becomes a version of", example = "fraud-detector")
                String model,
        @Schema(description = "logistic_regression, factorization_machine or xgboost") String trainer,
        @Schema(
                        description =
                                "the feature binding in input-column order: view:feature or request:name, with the"
                                        + " default used for a missing value in training and in serving")
                List<FeatureSpec> features,
        @Schema(description = "first event time of the labelled events (default: data_to minus the window)")
                Instant dataFrom,
        @Schema(description = "end of the event times, exclusive (default: now)") Instant dataTo,
        @Schema(description = "a feature or request value the evaluation reports per value of") String segmentBy,
        @Schema(description = "trainer settings, e.g. {\"epochs\": 5}") Map<String, Double> hyperparameters,
        @Schema(
                        description =
                                "further trainers, each with its settings, trained on the same rows: the one best on"
                                        + " the validation split by the gate's metric becomes the candidate (default:"
                                        + " the recipe's, unless trainer is given)")
                List<Alternative> alternatives,
        @Schema(description = "overrides of the champion/challenger gate") GateRequest gate,
        @Schema(description = "why the job is started, kept with it") String reason) {

    /** Overrides of the gate; absent fields keep the defaults. */
    public record GateRequest(String metric, Double minImprovement, Map<String, Double> floors) {}

    public static JobRequest of(String model, String reason) {
        return new JobRequest(model, null, null, null, null, null, null, null, null, reason);
    }
}
