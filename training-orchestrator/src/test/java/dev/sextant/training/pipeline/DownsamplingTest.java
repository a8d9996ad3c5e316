package dev.sextant.training.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DownsamplingTest {

    @Test
    void keepsEveryPositiveAndEnoughNegativesForTheTargetRate() {
        boolean[] labels = new boolean[100_000];
        Random random = new Random(3);
        int positives = 0;
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextDouble() < 0.02;
            positives += labels[i] ? 1 : 0;
        }
        Downsampling sampling = Downsampling.of(labels, 0.1, 42);
        int keptPositives = 0;
        for (int index : sampling.indexes()) {
            keptPositives += labels[index] ? 1 : 0;
        }
        assertThat(keptPositives).isEqualTo(positives);
        assertThat((double) keptPositives / sampling.indexes().length).isCloseTo(0.1, within(0.005));
        assertThat(sampling.negativeRate())
                .isCloseTo(positives * 0.9 / (0.1 * (labels.length - positives)), within(1e-9));
        for (int i = 1; i < sampling.indexes().length; i++) {
            assertThat(sampling.indexes()[i]).isGreaterThan(sampling.indexes()[i - 1]);
        }
    }

    @Test
    void dropsNothingWhenPositivesAreAlreadyFrequentEnough() {
        boolean[] labels = {true, false, true, false};
        Downsampling sampling = Downsampling.of(labels, 0.1, 1);
        assertThat(sampling.indexes()).containsExactly(0, 1, 2, 3);
        assertThat(sampling.negativeRate()).isEqualTo(1.0);
    }
}
