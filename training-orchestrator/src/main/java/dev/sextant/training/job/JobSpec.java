package dev.sextant.training.job;

import dev.sextant.training.TrainingProperties.Alternative;
import dev.sextant.training.TrainingProperties.FeatureSpec;
import dev.sextant.training.TrainingProperties.Gate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a job does, resolved when it is created (from its request, its model's recipe and the defaults)
 * and stored with it, so a resumed job does exactly what was asked.
 *
 * @param model the registered model the candidate is a version of
 * @param trainer the trainer's name
 * @param features the feature binding, in input-column order, with the defaults used for missing values in
 *     training and in serving
 * @param dataFrom first event time of the labelled rows (inclusive)
 * @param dataTo end of the event times (exclusive)
 * @param segmentBy a feature or request value the evaluation reports per value of; null for none
 * @param hyperparameters the trainer's settings
 * @param alternatives further trainers trained on the same rows; the best on the validation split is the candidate
 * @param gate the champion/challenger gate
 * @param validationFraction share of the rows in the validation split
 * @param testFraction share of the rows in the test split (the latest)
 * @param targetPositiveRate the positive share negative downsampling aims at in the training split
 * @param minRows fewest labelled rows to train on
 * @param challengerAlias the alias a registered candidate gets
 */
public record JobSpec(
        String model,
        String trainer,
        List<FeatureSpec> features,
        Instant dataFrom,
        Instant dataTo,
        String segmentBy,
        Map<String, Double> hyperparameters,
        List<Alternative> alternatives,
        Gate gate,
        double validationFraction,
        double testFraction,
        double targetPositiveRate,
        int minRows,
        String challengerAlias) {

    public JobSpec {
        features = List.copyOf(features);
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
    }

    /** Every trainer the job trains, its own first: the trainer with its settings, then the alternatives. */
    public List<Alternative> candidates() {
        List<Alternative> candidates = new java.util.ArrayList<>();
        candidates.add(new Alternative(trainer, hyperparameters));
        candidates.addAll(alternatives);
        return candidates;
    }

    public List<String> refs() {
        return features.stream().map(FeatureSpec::ref).toList();
    }
}
