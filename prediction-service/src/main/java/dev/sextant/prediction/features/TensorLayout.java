package dev.sextant.prediction.features;

import dev.sextant.prediction.runtime.Tensor;
import dev.sextant.prediction.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * How a version's bound columns become its input tensors: one {@code [rows, columns]} matrix when the model takes
 * its features as one input, otherwise one tensor per column ({@code [rows]}, {@code [rows, 1]} or a scalar, as the
 * input is declared), each value converted to the input's datatype.
 */
final class TensorLayout {

    private TensorLayout() {}

    /** The input tensors of rows {@code from} (inclusive) to {@code to} (exclusive), in the model's order. */
    static List<Tensor> inputs(BoundFeatures features, Object[][] values, int from, int to) {
        int rows = to - from;
        List<BoundFeatures.Column> columns = features.columns();
        List<TensorSpec> specs = features.inputs();
        if (features.matrix()) {
            TensorSpec spec = specs.get(0);
            Object array = spec.datatype().newArray(rows * columns.size());
            for (int row = 0; row < rows; row++) {
                for (int c = 0; c < columns.size(); c++) {
                    FeatureValues.set(array, row * columns.size() + c, values[from + row][c], spec.datatype());
                }
            }
            return List.of(new Tensor(spec.name(), spec.datatype(), new long[] {rows, columns.size()}, array));
        }
        List<Tensor> tensors = new ArrayList<>(specs.size());
        for (int c = 0; c < specs.size(); c++) {
            TensorSpec spec = specs.get(c);
            Object array = spec.datatype().newArray(rows);
            for (int row = 0; row < rows; row++) {
                FeatureValues.set(array, row, values[from + row][c], spec.datatype());
            }
            long[] shape =
                    switch (spec.shape().size()) {
                        case 0 -> new long[0];
                        case 1 -> new long[] {rows};
                        default -> new long[] {rows, 1};
                    };
            tensors.add(new Tensor(spec.name(), spec.datatype(), shape, array));
        }
        return tensors;
    }
}
