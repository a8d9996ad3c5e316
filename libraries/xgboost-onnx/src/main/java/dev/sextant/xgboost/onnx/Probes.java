package dev.sextant.xgboost.onnx;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Rows on which an export of trees most often goes wrong, made from given rows: each split's feature set exactly to
 * its threshold (XGBoost sends such a value right: {@code x < threshold} is false), and the same feature missing
 * (it follows the split's learned direction). A converter that compared with {@code <=}, rounded a threshold
 * through a double, or sent missing values one fixed way scores these differently from XGBoost.
 */
public final class Probes {

    private Probes() {}

    /**
     * @param booster the model whose splits are probed
     * @param rows row-major values, {@code columns} per row, at least one row
     * @param maxRows the most probe rows to make (two per distinct split, in the trees' order)
     * @return row-major probe rows, {@code columns} per row
     */
    public static float[] of(BoosterModel booster, float[] rows, int columns, int maxRows) {
        int available = rows.length / columns;
        if (available == 0) {
            return new float[0];
        }
        Set<Long> splits = new LinkedHashSet<>();
        for (BoosterModel.Tree tree : booster.trees()) {
            for (int node : tree.reachable()) {
                if (!tree.isLeaf(node) && splits.size() < maxRows / 2) {
                    splits.add(((long) tree.splitIndex()[node] << 32)
                            | (Float.floatToRawIntBits(tree.threshold()[node]) & 0xFFFFFFFFL));
                }
            }
        }
        float[] probes = new float[splits.size() * 2 * columns];
        int row = 0;
        for (long split : splits) {
            int feature = (int) (split >>> 32);
            float threshold = Float.intBitsToFloat((int) split);
            for (float value : new float[] {threshold, Float.NaN}) {
                System.arraycopy(rows, (row % available) * columns, probes, row * columns, columns);
                probes[row * columns + feature] = value;
                row++;
            }
        }
        return probes;
    }
}
