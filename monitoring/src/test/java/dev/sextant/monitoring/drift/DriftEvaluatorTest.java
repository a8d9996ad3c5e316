package dev.sextant.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.TestProperties;
import dev.sextant.monitoring.drift.DriftReport.Severity;
import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.window.PredictionLog;
import dev.sextant.monitoring.window.WindowAggregator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Data quality judged apart from drift: defaulted, NaN, out-of-range and unknown values, against thresholds. */
class DriftEvaluatorTest {

    static final MonitoringProperties PROPERTIES = TestProperties.with(100, 50, 2);

    static double[] percentiles(double from, double to) {
        double[] p = new double[101];
        for (int i = 0; i <= 100; i++) {
            p[i] = from + (to - from) * i / 100;
        }
        return p;
    }

    /** Closes one window of 100 predictions whose row i has the given amount, flag and defaulted mark. */
    static DriftReport judge(List<double[]> rows) {
        List<DriftReport> reports = new ArrayList<>();
        WindowAggregator windows = new WindowAggregator(PROPERTIES.window(), new SimpleMeterRegistry());
        DriftEvaluator evaluator = new DriftEvaluator(
                PROPERTIES.window(),
                PROPERTIES.quality(),
                new ThresholdSettings(PROPERTIES.thresholds(), PROPERTIES.features()));
        ReferenceProfile reference = new ReferenceProfile(
                List.of("request:amount", "card_profile:is_premium"),
                Map.of(
                        "request:amount",
                        new ReferenceProfile.Column(
                                percentiles(0, 100), new double[] {50}, new double[] {0.5, 0.5}, null),
                        "card_profile:is_premium",
                        new ReferenceProfile.Column(
                                percentiles(0, 1),
                                new double[] {1},
                                new double[] {0.8, 0.2},
                                Map.of("0.0", 0.8, "1.0", 0.2))));
        windows.onClose(window -> reports.add(evaluator.evaluate(window, reference)));
        Instant time = Instant.parse("2026-11-20T00:00:00Z");
        for (int i = 0; i <= rows.size(); i++) {
            double[] row = rows.get(Math.min(i, rows.size() - 1));
            windows.accept(
                    new PredictionLog(
                            "r-" + i,
                            time.plusSeconds(i),
                            "m",
                            1,
                            Map.of("request:amount", new double[] {row[0]}, "card_profile:is_premium", new double[] {
                                row[1]
                            }),
                            Map.of("request:amount", new boolean[] {row[2] == 1})),
                    0,
                    i);
        }
        return reports.get(0);
    }

    @Test
    void cleanDataHasNoQualityProblems() {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(new double[] {i, i % 5 == 0 ? 1 : 0, 0});
        }
        DriftReport report = judge(rows);
        assertThat(report.qualityStatus()).isEqualTo(Severity.OK);
        assertThat(report.columns().get("request:amount").quality())
                .containsEntry("defaulted_rate", 0.0)
                .containsEntry("nan_rate", 0.0);
    }

    @Test
    void defaultedNanOutOfRangeAndUnknownValuesRaiseTheirSeverities() {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double amount = i < 40 ? 0 : i < 45 ? Double.NaN : i < 70 ? 500 : i; // 25 % above the reference's max
            double flag = i < 10 ? 2 : 0; // a value the reference never had
            rows.add(new double[] {amount, flag, i < 40 ? 1 : 0});
        }
        DriftReport report = judge(rows);
        Map<String, Double> amount = report.columns().get("request:amount").quality();
        assertThat(amount.get("defaulted_rate")).isCloseTo(0.4, within(1e-9));
        assertThat(amount.get("nan_rate")).isCloseTo(0.05, within(1e-9));
        assertThat(amount.get("out_of_range_rate")).isCloseTo(0.25, within(0.02));
        assertThat(report.columns().get("request:amount").qualitySeverity()).isEqualTo(Severity.ALERT);
        assertThat(report.columns().get("card_profile:is_premium").quality().get("unknown_rate"))
                .isCloseTo(0.1, within(1e-9));
        assertThat(report.qualityStatus()).isEqualTo(Severity.ALERT);
    }
}
