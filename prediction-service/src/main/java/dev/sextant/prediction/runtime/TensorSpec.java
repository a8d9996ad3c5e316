package dev.sextant.prediction.runtime;

import java.util.List;

/**
 * One input or output of a loaded model, as the Open Inference Protocol describes it: {@code shape} has -1 for
 * each variable dimension. {@code keys} is set for ONNX-ML outputs that are a sequence of maps (a classifier's
 * per-class probabilities): the class labels, in the order of the answer's last dimension.
 */
public record TensorSpec(String name, Datatype datatype, List<Long> shape, List<String> keys) {

    public TensorSpec {
        shape = List.copyOf(shape);
        keys = keys == null ? null : List.copyOf(keys);
    }

    /** Whether the first dimension is variable, so that rows of several requests can be stacked. */
    public boolean batchable() {
        return !shape.isEmpty() && shape.get(0) == -1;
    }
}
