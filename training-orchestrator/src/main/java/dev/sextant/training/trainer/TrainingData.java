package dev.sextant.training.trainer;

import dev.sextant.training.dataset.Matrix;

/**
 * What a trainer learns from.
 *
 * @param features the raw input columns, in binding order, missing values replaced by their defaults
 * @param labels whether each row is positive
 * @param negativeRate the share of negatives kept by downsampling (1: none dropped); scores are corrected by it
 * @param modelName the registered model's name, recorded in the ONNX model's metadata
 */
public record TrainingData(Matrix features, boolean[] labels, double negativeRate, String modelName) {

    public TrainingData {
        if (features.rows() != labels.length) {
            throw new IllegalArgumentException(features.rows() + " rows but " + labels.length + " labels");
        }
    }
}
