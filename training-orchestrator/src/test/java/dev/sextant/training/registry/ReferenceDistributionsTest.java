package dev.sextant.training.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceDistributionsTest {

    @Test
    void summarizesAContinuousColumnWithPercentilesAndAHistogram() {
        float[] values = new float[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 100f;
        }
        Map<String, Object> summary = ReferenceDistributions.summary(values, 12);
        assertThat(summary).containsEntry("count", 10_000).containsEntry("missing", 12);
        double[] percentiles = (double[]) summary.get("percentiles");
        assertThat(percentiles).hasSize(101);
        assertThat(percentiles[0]).isEqualTo(0.0);
        assertThat(percentiles[50]).isCloseTo(50.0, within(1.0));
        assertThat(percentiles[100]).isCloseTo(99.99, within(1e-3));
        @SuppressWarnings("unchecked")
        Map<String, Object> histogram = (Map<String, Object>) summary.get("histogram");
        double[] fractions = (double[]) histogram.get("fractions");
        assertThat(fractions).hasSize(10);
        for (double fraction : fractions) {
            assertThat(fraction).isCloseTo(0.1, within(0.01));
        }
        assertThat(summary).doesNotContainKey("frequencies");
    }

    @Test
    void givesExactFrequenciesOfAColumnWithFewValues() {
        float[] flags = {0, 0, 0, 1};
        assertThat(ReferenceDistributions.frequencies(flags))
                .containsExactly(Map.entry("0.0", 0.75), Map.entry("1.0", 0.25));
    }
}
