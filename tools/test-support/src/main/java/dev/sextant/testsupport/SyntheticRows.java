package dev.sextant.testsupport;

import java.util.Random;

/**
 * Labelled rows for tests of tree models (training, export, scoring): row-major {@code values} of {@code columns}
 * features, and each row's label.
 *
 * @param values row-major; {@code NaN} is a missing value
 * @param columns features per row
 * @param labels one per row
 */
public record SyntheticRows(float[] values, int columns, boolean[] labels) {

    public int rows() {
        return labels.length;
    }

    /**
     * Positives from a non-linear rule over the first two columns, where a missing value carries signal too: even
     * columns are integers 0..19 (coarse values, so many rows land exactly on the thresholds a tree picks between
     * them), odd columns standard normal.
     *
     * @param missing the share of values that are missing
     * @param seed the same seed draws the same rows
     */
    public static SyntheticRows draw(int rows, int columns, double missing, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * columns];
        boolean[] labels = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                values[r * columns + c] = random.nextDouble() < missing
                        ? Float.NaN
                        : (c % 2 == 0 ? random.nextInt(20) : (float) random.nextGaussian());
            }
            float a = values[r * columns];
            float b = columns > 1 ? values[r * columns + 1] : 0f;
            double logit = -1.5 + (Float.isNaN(a) ? 1.5 : a > 12 ? 2 : 0) + (Float.isNaN(b) ? -1 : b);
            labels[r] = random.nextDouble() < 1 / (1 + Math.exp(-logit));
        }
        return new SyntheticRows(values, columns, labels);
    }
}
