package dev.sextant.training.trainer;

import dev.sextant.training.dataset.Matrix;

/**
 * A trained model: its ONNX form (input {@code features}: FP32 {@code [batch, n]} raw columns in binding order;
 * output {@code probability}: FP32 {@code [batch, 1]}, the positive class's probability) and the trainer's own
 * scoring of raw rows, which the export is checked against.
 */
public interface TrainedModel {

    byte[] onnx();

    /** The positive class's probability per row, computed by the trainer's library, not by ONNX Runtime. */
    float[] predict(Matrix features);

    /** A line describing the model, for the job's log. */
    String describe();
}
