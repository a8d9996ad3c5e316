package dev.sextant.training.trainer;

import dev.sextant.training.dataset.Matrix;

/**
 * What a trainer learns from.
 *
 * @param features the raw input columns, in binding order, missing values replaced by their defaults
 * @param labels whether each row is positive
 * @param negativeRate the share of negatives kept by downsampling (1: none dropped); scores are corrected by it
 * @param modelName the registered model's name, recorded in the ONNX model's metadata
 * @param validation the validation split (not downsampled), for trainers that stop early; null when there is none
 */
public record TrainingData(Matrix features, boolean[] labels, double negativeRate, String modelName, Rows validation) {

    public TrainingData {
        if (features.rows() != labels.length) {
            throw new IllegalArgumentException(features.rows() + " rows but " + labels.length + " labels");
        }
    }

    public TrainingData(Matrix features, boolean[] labels, double negativeRate, String modelName) {
        this(features, labels, negativeRate, modelName, null);
    }

    /** Labelled rows. */
    public record Rows(Matrix features, boolean[] labels) {

        public Rows {
            if (features.rows() != labels.length) {
                throw new IllegalArgumentException(features.rows() + " rows but " + labels.length + " labels");
            }
        }
    }
}
