package dev.sextant.training.trainer;

import dev.sextant.training.dataset.Matrix;
import java.util.Optional;

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

    /**
     * Rows, made from the test rows, on which an export of this kind of model is most likely to differ from the
     * trainer (for trees: values exactly on split thresholds, missing values); the export is checked on them too.
     */
    default Matrix probes(Matrix test) {
        return new Matrix(new float[0], 0, test.columns());
    }

    /** The model in its library's own format, stored beside the ONNX artifact as lineage; empty when there is none. */
    default Optional<NativeModel> nativeModel() {
        return Optional.empty();
    }

    /**
     * @param format what it is, e.g. {@code xgboost-json}
     * @param extension the file extension it is stored under
     * @param bytes the model
     */
    record NativeModel(String format, String extension, byte[] bytes) {}
}
