package dev.sextant.training.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.training.TrainingProperties.FeatureSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetTest {

    static Dataset dataset(long[] times, double[] values) {
        return new Dataset(
                times,
                new boolean[times.length],
                Map.of("request:amount", values),
                null,
                "sha256:x",
                Instant.EPOCH,
                Instant.EPOCH);
    }

    @Test
    void splitsByTimeWithoutPuttingOneInstantOnBothSidesOfABoundary() {
        long[] times = {1, 2, 3, 4, 5, 6, 7, 7, 7, 8};
        Dataset.Split split = dataset(times, new double[10]).split(0.2, 0.2);
        // 60 % would end training at row 6; rows 6-8 share instant 7, so validation starts after them.
        assertThat(split.validationStart()).isEqualTo(6);
        assertThat(times[split.testStart() - 1]).isLessThan(times[split.testStart()]);
        assertThat(split.testStart()).isEqualTo(9);
        assertThat(split.rows()).isEqualTo(10);
    }

    @Test
    void givesMissingValuesTheBindingsDefaultAndCountsThem() {
        Dataset data = dataset(new long[] {1, 2, 3}, new double[] {5, Double.NaN, 7});
        Matrix matrix = data.matrix(
                List.of(new FeatureSpec("request:amount", 1.5), new FeatureSpec("request:absent", 9.0)), 0, 3);
        assertThat(matrix.column(0)).containsExactly(5f, 1.5f, 7f);
        assertThat(matrix.column(1)).containsExactly(9f, 9f, 9f);
        assertThat(data.missing("request:amount", 0, 3)).isEqualTo(1);
    }
}
