package dev.sextant.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PerformanceReportTest {

    @Test
    void rocAucIsTheShareOfCorrectlyRankedPairsCountedOneByOne() {
        Random random = new Random(9);
        List<OnlinePerformance.Labelled> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            double score = Math.round(random.nextDouble() * 50) / 50.0; // ties on purpose
            rows.add(new OnlinePerformance.Labelled(score, random.nextDouble() < score, Duration.ofSeconds(i)));
        }
        double pairs = 0;
        double correct = 0;
        int positives = 0;
        for (OnlinePerformance.Labelled a : rows) {
            positives += a.label() ? 1 : 0;
            for (OnlinePerformance.Labelled b : rows) {
                if (a.label() && !b.label()) {
                    pairs++;
                    correct += a.score() > b.score() ? 1 : a.score() == b.score() ? 0.5 : 0;
                }
            }
        }
        assertThat(PerformanceReport.rocAuc(rows, positives)).isCloseTo(correct / pairs, within(1e-12));
        PerformanceReport report = PerformanceReport.of("m", 1, rows, 0.5);
        assertThat(report.metrics().get("labels")).isEqualTo(2_000.0);
        assertThat(report.metrics().get("label_delay_max_seconds")).isEqualTo(1_999.0);
    }
}
