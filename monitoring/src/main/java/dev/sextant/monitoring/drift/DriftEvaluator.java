package dev.sextant.monitoring.drift;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.drift.DriftReport.ColumnDrift;
import dev.sextant.monitoring.drift.DriftReport.Severity;
import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.window.ColumnSketch;
import dev.sextant.monitoring.window.ModelWindow;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Judges a closed window against its version's reference: numbers by PSI over the reference's decile bins and the
 * Kolmogorov–Smirnov statistic; columns with few values (flags, small counts) by PSI and the Jensen–Shannon
 * distance over their values. A column is {@code ALERT} or {@code WARN} when any statistic reaches that level of
 * its thresholds; the window's status is its worst column's. A window with fewer values than the minimum is not
 * judged.
 */
@Component
public class DriftEvaluator {

    private final MonitoringProperties properties;

    DriftEvaluator(MonitoringProperties properties) {
        this.properties = properties;
    }

    public DriftReport evaluate(ModelWindow window, ReferenceProfile reference) {
        Map<String, ColumnDrift> columns = new LinkedHashMap<>();
        Severity status = reference.columns().isEmpty() ? Severity.NO_REFERENCE : Severity.OK;
        boolean enough = window.predictions() >= properties.window().minSamples();
        if (!enough && status == Severity.OK) {
            status = Severity.INSUFFICIENT_DATA;
        }
        for (var entry : window.columns().entrySet()) {
            ColumnSketch live = entry.getValue();
            ReferenceProfile.Column expected = reference.columns().get(entry.getKey());
            double defaultedRate = live.count() == 0 ? 0 : (double) live.defaulted() / live.count();
            if (expected == null || !enough || live.count() == 0) {
                columns.put(entry.getKey(), new ColumnDrift(live.count(), defaultedRate, null, null));
                continue;
            }
            Map<String, Double> statistics = statistics(expected, live);
            Severity severity = severity(entry.getKey(), statistics);
            columns.put(entry.getKey(), new ColumnDrift(live.count(), defaultedRate, statistics, severity));
            if (severity.ordinal() > status.ordinal()) {
                status = severity;
            }
        }
        return new DriftReport(
                window.model(), window.version(), window.start(), window.end(), window.predictions(), status, columns);
    }

    private static Map<String, Double> statistics(ReferenceProfile.Column expected, ColumnSketch live) {
        Map<String, Double> statistics = new LinkedHashMap<>();
        Map<String, Double> liveFrequencies = live.frequencies();
        if (expected.frequencies() != null && liveFrequencies != null) {
            statistics.put("psi", DriftStatistics.psi(expected.frequencies(), liveFrequencies));
            statistics.put("jensen_shannon", DriftStatistics.jensenShannon(expected.frequencies(), liveFrequencies));
        } else {
            statistics.put("psi", DriftStatistics.psi(expected.edges(), expected.fractions(), live.sketch()));
            statistics.put("ks", DriftStatistics.ks(expected.percentiles(), live.sketch()));
        }
        return statistics;
    }

    private Severity severity(String column, Map<String, Double> statistics) {
        MonitoringProperties.Thresholds thresholds = properties.thresholdsFor(column);
        Severity severity = Severity.OK;
        for (var statistic : statistics.entrySet()) {
            MonitoringProperties.Level level =
                    switch (statistic.getKey()) {
                        case "psi" -> thresholds.psi();
                        case "ks" -> thresholds.ks();
                        default -> thresholds.jensenShannon();
                    };
            if (statistic.getValue() >= level.alert()) {
                return Severity.ALERT;
            }
            if (statistic.getValue() >= level.warn()) {
                severity = Severity.WARN;
            }
        }
        return severity;
    }
}
