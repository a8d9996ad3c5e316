package dev.sextant.training.dataset;

import dev.sextant.training.TrainingProperties.FeatureSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A labelled, point-in-time correct dataset in memory, ordered by event time: for each row its event time, label,
 * segment value, and the value of every feature any model in the job needs (NaN where the feature store had none:
 * missing, or older than the view's TTL).
 *
 * @param eventTimes epoch milliseconds, ascending
 * @param columns values by feature reference ({@code view:feature} or {@code request:name})
 * @param segments the segment value of each row, or null when the job has no segment
 * @param fingerprint sha256 of the entity rows and the training set, as retrieved
 * @param from first event time asked for
 * @param to end of the event times asked for
 */
public record Dataset(
        long[] eventTimes,
        boolean[] labels,
        Map<String, double[]> columns,
        String[] segments,
        String fingerprint,
        Instant from,
        Instant to) {

    public int rows() {
        return labels.length;
    }

    /**
     * Rows {@code [from, to)} as a model's input: one column per binding entry, missing values replaced by the
     * entry's default (0 when it has none), as the prediction service does.
     */
    public Matrix matrix(List<FeatureSpec> binding, int from, int to) {
        int width = binding.size();
        float[] values = new float[(to - from) * width];
        for (int c = 0; c < width; c++) {
            FeatureSpec feature = binding.get(c);
            double[] column = columns.get(feature.ref());
            float fallback =
                    feature.defaultValue() == null ? 0f : feature.defaultValue().floatValue();
            for (int r = from; r < to; r++) {
                double v = column == null ? Double.NaN : column[r];
                values[(r - from) * width + c] = Double.isNaN(v) ? fallback : (float) v;
            }
        }
        return new Matrix(values, to - from, width);
    }

    /** How many of rows {@code [from, to)} lack a value of this reference. */
    public int missing(String ref, int from, int to) {
        double[] column = columns.get(ref);
        if (column == null) {
            return to - from;
        }
        int missing = 0;
        for (int r = from; r < to; r++) {
            missing += Double.isNaN(column[r]) ? 1 : 0;
        }
        return missing;
    }

    public boolean[] labels(int from, int to) {
        return java.util.Arrays.copyOfRange(labels, from, to);
    }

    /**
     * The time-based split: training rows first, then validation, then test (the latest). A boundary never falls
     * between two rows with the same event time, so no instant is on both sides of it.
     */
    public Split split(double validationFraction, double testFraction) {
        int n = rows();
        int validationStart = boundary((int) Math.round(n * (1 - validationFraction - testFraction)));
        int testStart = boundary((int) Math.round(n * (1 - testFraction)));
        return new Split(validationStart, Math.max(validationStart, testStart), n);
    }

    private int boundary(int index) {
        int i = Math.max(0, Math.min(rows(), index));
        while (i > 0 && i < rows() && eventTimes[i] == eventTimes[i - 1]) {
            i++;
        }
        return i;
    }

    /**
     * Row ranges of the split: training {@code [0, validationStart)}, validation {@code [validationStart,
     * testStart)}, test {@code [testStart, rows)}.
     */
    public record Split(int validationStart, int testStart, int rows) {}
}
