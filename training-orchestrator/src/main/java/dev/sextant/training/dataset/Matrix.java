package dev.sextant.training.dataset;

/**
 * A dense row-major matrix of floats: the shape of a model's {@code [batch, n]} input.
 *
 * @param values row after row
 * @param rows number of rows
 * @param columns values per row
 */
public record Matrix(float[] values, int rows, int columns) {

    public Matrix {
        if ((long) rows * columns != values.length) {
            throw new IllegalArgumentException(rows + " x " + columns + " does not hold " + values.length + " values");
        }
    }

    public float get(int row, int column) {
        return values[row * columns + column];
    }

    /** The rows at these indexes, in that order. */
    public Matrix select(int[] indexes) {
        float[] selected = new float[indexes.length * columns];
        for (int i = 0; i < indexes.length; i++) {
            System.arraycopy(values, indexes[i] * columns, selected, i * columns, columns);
        }
        return new Matrix(selected, indexes.length, columns);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
    public Matrix slice(int from, int to) {
        float[] selected = new float[(to - from) * columns];
        System.arraycopy(values, from * columns, selected, 0, selected.length);
        return new Matrix(selected, to - from, columns);
    }

    /** One column's values. */
    public float[] column(int column) {
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = values[r * columns + column];
        }
        return out;
    }
}
