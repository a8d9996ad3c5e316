package dev.sextant.training.trainer;

import dev.sextant.training.dataset.Matrix;

/**
 * Per-column mean and standard deviation of the training split. SGD learners converge badly on raw amounts and
 * counts of very different scales, so they train on standardized columns; the exported model standardizes its raw
 * input with these same constants, so callers send raw values.
 */
record Standardization(float[] mean, float[] std) {

    static Standardization of(Matrix x) {
        int n = x.rows();
        int f = x.columns();
        double[] sum = new double[f];
        double[] sumSquares = new double[f];
        float[] values = x.values();
        for (int r = 0; r < n; r++) {
            int base = r * f;
            for (int c = 0; c < f; c++) {
                double v = values[base + c];
                sum[c] += v;
                sumSquares[c] += v * v;
            }
        }
        float[] mean = new float[f];
        float[] std = new float[f];
        for (int c = 0; c < f; c++) {
            double m = sum[c] / n;
            double variance = Math.max(0, sumSquares[c] / n - m * m);
            mean[c] = (float) m;
            // A constant column stays constant (0) instead of dividing by zero.
            std[c] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
        }
        return new Standardization(mean, std);
    }

    /** One row, standardized, as the learner sees it. */
    double[] apply(Matrix x, int row) {
        int f = x.columns();
        double[] out = new double[f];
        for (int c = 0; c < f; c++) {
            out[c] = ((double) x.get(row, c) - mean[c]) / std[c];
        }
        return out;
    }
}
