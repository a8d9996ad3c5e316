package dev.sextant.prediction.features;

import dev.sextant.prediction.runtime.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A request's assembled input.
 *
 * @param features the version's binding
 * @param values per row, the value of each bound column (after defaults), in column order
 * @param defaulted per row, the bound features that took their default
 * @param degraded whether the online store could not be read and every online feature took its default
 * @param entityKeys the join key values the reads used, per key one value per row
 * @param readNanos time spent reading the online store (0 when the version binds no online feature)
 */
public record Assembled(
        BoundFeatures features,
        Object[][] values,
        List<List<String>> defaulted,
        boolean degraded,
        Map<String, List<Object>> entityKeys,
        long readNanos) {

    public int rows() {
        return values.length;
    }

    public List<String> columnRefs() {
        return features.columns().stream().map(BoundFeatures.Column::ref).toList();
    }

    /** Whether all rows can go to the model in one run; otherwise one run per row. */
    public boolean batchable() {
        return features.batchable();
    }

    /** The input tensors of rows {@code from} (inclusive) to {@code to} (exclusive), in the model's order. */
    public List<Tensor> inputs(int from, int to) {
        return TensorLayout.inputs(features, values, from, to);
    }
}
