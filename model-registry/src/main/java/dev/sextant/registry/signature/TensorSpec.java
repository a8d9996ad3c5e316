package dev.sextant.registry.signature;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One input or output of a model.
 *
 * <p>{@code kind} is {@code tensor} for ordinary tensors: {@code datatype} is the Open Inference Protocol
 * element type (BOOL, UINT8-64, INT8-64, FP16, BF16, FP32, FP64, BYTES) and {@code shape} has -1 for every
 * dynamic dimension. ONNX-ML models may also return {@code sequence_of_maps} (for example a classifier's
 * per-class probabilities: {@code key_datatype} is the class label type, {@code datatype} the probability
 * type, {@code shape} [-1] one map per row), {@code sequence} (of tensors of {@code datatype}) or {@code map}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TensorSpec(String name, String kind, String datatype, List<Long> shape, String keyDatatype) {

    public static final String TENSOR = "tensor";
    public static final String SEQUENCE = "sequence";
    public static final String SEQUENCE_OF_MAPS = "sequence_of_maps";
    public static final String MAP = "map";

    public TensorSpec {
        shape = shape == null ? null : List.copyOf(shape);
    }

    static TensorSpec tensor(String name, String datatype, List<Long> shape) {
        return new TensorSpec(name, TENSOR, datatype, shape, null);
    }
}
