package dev.sextant.prediction.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * A named tensor in row-major order: {@code values} is the array {@link Datatype#newArray} makes, with as many
 * elements as the shape's product. {@code labels} names the positions of the last dimension when the model
 * answered a sequence of maps (ONNX-ML classifiers: one map of class label to probability per row); null
 * otherwise.
 */
public record Tensor(String name, Datatype datatype, long[] shape, Object values, List<String> labels) {

    public Tensor(String name, Datatype datatype, long[] shape, Object values) {
        this(name, datatype, shape, values, null);
    }

    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    @Override
    public String toString() {
        return name + " " + datatype + Arrays.toString(shape);
    }
}
