package dev.sextant.training.pipeline;

import java.util.SplittableRandom;

/**
 * Class imbalance: negatives in the training split are kept with probability {@code r}, chosen so that positives
 * make up the target share (every positive is kept). The learner then sees a prior inflated by {@code 1/r}, which
 * the model's output undoes exactly ({@code p = p1 / (p1 + p0 / r)}), so scores stay calibrated probabilities on
 * real traffic. Validation and test splits are never sampled.
 *
 * @param indexes the kept rows of the training split, in order
 * @param negativeRate r, the share of negatives kept (1 when none was dropped)
 */
record Downsampling(int[] indexes, double negativeRate) {

    static Downsampling of(boolean[] labels, double targetPositiveRate, long seed) {
        int positives = 0;
        for (boolean label : labels) {
            positives += label ? 1 : 0;
        }
        int negatives = labels.length - positives;
        double rate = (double) positives / labels.length;
        double keep = rate >= targetPositiveRate || negatives == 0
                ? 1.0
                : positives * (1 - targetPositiveRate) / (targetPositiveRate * negatives);
        SplittableRandom random = new SplittableRandom(seed);
        int[] kept = new int[labels.length];
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] || keep >= 1.0 || random.nextDouble() < keep) {
                kept[n++] = i;
            }
        }
        return new Downsampling(java.util.Arrays.copyOf(kept, n), Math.min(1.0, keep));
    }
}
