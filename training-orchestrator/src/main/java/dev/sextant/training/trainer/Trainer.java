package dev.sextant.training.trainer;

import java.util.Map;

/**
 * The seam between a job and a learning algorithm: a trainer turns the training split into a model that exists as
 * ONNX (what is registered and served) and can also score rows itself (to check the export). Gradient-boosted
 * trees, or any other learner with an ONNX export, fit behind it.
 */
public interface Trainer {

    /** The name jobs use, e.g. {@code logistic_regression}. */
    String name();

    /** The hyperparameters it takes, with their defaults and ranges; a job may set only these, within range. */
    Map<String, Hyperparameter> hyperparameters();

    /**
     * Trains on the training split.
     *
     * @param data raw input columns in binding order (defaults applied), labels, and the downsampling rate of
     *     the negatives, which the model's scores must undo
     * @param hyperparameters a value for every entry of {@link #hyperparameters()}: its default or the job's
     */
    TrainedModel train(TrainingData data, Map<String, Double> hyperparameters);
}
