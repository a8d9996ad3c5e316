package dev.sextant.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void windowsAgreeWhenTheirMedianAndTailAreWithinTheTolerance() {
        assertThat(WarmUp.agree(window(2.0, 10.0), window(2.2, 11.0), 0.2)).isTrue();
        assertThat(WarmUp.agree(window(2.0, 10.0), window(2.0, 14.0), 0.2))
                .as("the tail still falling")
                .isFalse();
        assertThat(WarmUp.agree(window(4.0, 10.0), window(2.0, 10.0), 0.2))
                .as("the median still falling")
                .isFalse();
    }

    @Test
    void latenciesBelowTheNoiseFloorAgreeWhateverTheirRatio() {
        assertThat(WarmUp.agree(window(0.3, 0.5), window(0.4, 0.65), 0.2)).isTrue();
        assertThat(WarmUp.agree(window(0.3, 0.5), window(0.3, 0.75), 0.2)).isFalse();
    }

    @Test
    void aWindowWithFailuresNeverAgrees() {
        Load.Result failing =
                new Load.Result(100, 8, 5, 500, 499, Map.of("timeout", 1L), latencies(2.0, 10.0), List.of());
        assertThat(WarmUp.agree(window(2.0, 10.0), failing, 0.2)).isFalse();
        assertThat(WarmUp.agree(failing, window(2.0, 10.0), 0.2)).isFalse();
    }

    @Test
    void theDetailLineShowsEachWindowsTail() {
        assertThat(LoadTest.warmUp(new WarmUp.Settled(java.time.Duration.ofSeconds(25), true, List.of(40.0, 3.1, 3.0))))
                .isEqualTo("warm-up: 25 s, stable; p99 by window [40.00, 3.10, 3.00] ms");
        assertThat(LoadTest.warmUp(new WarmUp.Settled(java.time.Duration.ofSeconds(120), false, List.of(9.0))))
                .contains("NOT stable");
    }

    private static Load.Result window(double p50Ms, double p99Ms) {
        return new Load.Result(100, 8, 5, 500, 500, Map.of(), latencies(p50Ms, p99Ms), List.of());
    }

    /** 100 latencies: 98 at the median's value, 2 at the tail's. */
    private static Histogram latencies(double p50Ms, double p99Ms) {
        Histogram histogram = new Histogram(3);
        histogram.recordValueWithCount(Math.round(p50Ms * 1000), 98);
        histogram.recordValueWithCount(Math.round(p99Ms * 1000), 2);
        return histogram;
    }
}
