package dev.sextant.monitoring.drift;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.drift.DriftReport.ColumnDrift;
import dev.sextant.monitoring.drift.DriftReport.Severity;
import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.window.ColumnSketch;
import dev.sextant.monitoring.window.ModelWindow;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.springframework.stereotype.Component;

/**
 * Judges a closed window against its version's reference: numbers by PSI over the reference's decile bins and the
 * Kolmogorov–Smirnov statistic; columns with few values (flags, categories, small counts) by PSI, the Jensen–Shannon
 * distance and Pearson's chi-squared test over their values. Thresholds are the current {@link ThresholdSettings}. A column is {@code ALERT} or {@code WARN} when any statistic reaches that level of
 * its thresholds; the window's status is its worst column's. Data quality is judged apart: the defaulted and NaN
 * rates, the share of values outside the reference's range and, for few-valued columns, of values it never had. A
 * window with fewer values than the minimum is not judged.
 */
@Component
public class DriftEvaluator {

    private final long minSamples;
    private final MonitoringProperties.Quality qualityLevels;
    private final ThresholdSettings thresholds;

    DriftEvaluator(
            MonitoringProperties.Window window, MonitoringProperties.Quality quality, ThresholdSettings thresholds) {
        this.minSamples = window.minSamples();
        this.qualityLevels = quality;
        this.thresholds = thresholds;
    }

    public DriftReport evaluate(ModelWindow window, ReferenceProfile reference) {
        Map<String, ColumnDrift> columns = new LinkedHashMap<>();
        Severity status = reference.columns().isEmpty() ? Severity.NO_REFERENCE : Severity.OK;
        boolean enough = window.predictions() >= minSamples;
        if (!enough && status == Severity.OK) {
            status = Severity.INSUFFICIENT_DATA;
        }
        Severity qualityStatus = enough ? Severity.OK : Severity.INSUFFICIENT_DATA;
        for (var entry : window.columns().entrySet()) {
            ColumnSketch live = entry.getValue();
            ReferenceProfile.Column expected = reference.columns().get(entry.getKey());
            double defaultedRate = live.count() == 0 ? 0 : (double) live.defaulted() / live.count();
            if (!enough || live.count() == 0) {
                columns.put(entry.getKey(), new ColumnDrift(live.count(), defaultedRate, null, null, null, null));
                continue;
            }
            Map<String, Double> quality = quality(expected, live, defaultedRate);
            Severity qualitySeverity = qualitySeverity(quality);
            if (qualitySeverity.ordinal() > qualityStatus.ordinal()) {
                qualityStatus = qualitySeverity;
            }
            if (expected == null || live.sketch().isEmpty()) {
                columns.put(
                        entry.getKey(),
                        new ColumnDrift(live.count(), defaultedRate, null, null, quality, qualitySeverity));
                continue;
            }
            Map<String, Double> statistics = statistics(expected, live);
            Severity severity = severity(entry.getKey(), statistics);
            columns.put(
                    entry.getKey(),
                    new ColumnDrift(live.count(), defaultedRate, statistics, severity, quality, qualitySeverity));
            if (severity.ordinal() > status.ordinal()) {
                status = severity;
            }
        }
        return new DriftReport(
                window.model(),
                window.version(),
                window.start(),
                window.end(),
                window.predictions(),
                status,
                qualityStatus,
                columns);
    }

    private static Map<String, Double> statistics(ReferenceProfile.Column expected, ColumnSketch live) {
        Map<String, Double> statistics = new LinkedHashMap<>();
        Map<String, Double> liveFrequencies = live.frequencies();
        if (expected.frequencies() != null && liveFrequencies != null) {
            statistics.put("psi", DriftStatistics.psi(expected.frequencies(), liveFrequencies));
            statistics.put("jensen_shannon", DriftStatistics.jensenShannon(expected.frequencies(), liveFrequencies));
            double[] chiSquared = DriftStatistics.chiSquared(
                    expected.frequencies(), liveFrequencies, live.sketch().getN());
            statistics.put("chi_squared", chiSquared[0]);
            statistics.put("chi_squared_p_value", chiSquared[1]);
        } else {
            statistics.put("psi", DriftStatistics.psi(expected.edges(), expected.fractions(), live.sketch()));
            statistics.put("ks", DriftStatistics.ks(expected.percentiles(), live.sketch()));
        }
        return statistics;
    }

    /** The column's data-quality rates; those against the reference only when there is one. */
    private static Map<String, Double> quality(
            ReferenceProfile.Column expected, ColumnSketch live, double defaultedRate) {
        Map<String, Double> quality = new LinkedHashMap<>();
        quality.put("defaulted_rate", defaultedRate);
        quality.put("nan_rate", (double) live.nans() / live.count());
        if (expected != null && !live.sketch().isEmpty()) {
            double[] p = expected.percentiles();
            double below = live.sketch().getRank(p[0], QuantileSearchCriteria.EXCLUSIVE);
            double above = 1 - live.sketch().getRank(p[p.length - 1], QuantileSearchCriteria.INCLUSIVE);
            double numbers = live.count() - live.nans();
            quality.put("out_of_range_rate", (below + above) * numbers / live.count());
            Map<String, Double> frequencies = live.frequencies();
            if (expected.frequencies() != null && frequencies != null) {
                double unknown = frequencies.entrySet().stream()
                        .filter(value -> !expected.frequencies().containsKey(value.getKey()))
                        .mapToDouble(Map.Entry::getValue)
                        .sum();
                quality.put("unknown_rate", unknown * numbers / live.count());
            }
        }
        return quality;
    }

    private Severity qualitySeverity(Map<String, Double> quality) {
        MonitoringProperties.Quality levels = qualityLevels;
        Severity severity = Severity.OK;
        for (var rate : quality.entrySet()) {
            MonitoringProperties.Level level =
                    switch (rate.getKey()) {
                        case "defaulted_rate" -> levels.defaultedRate();
                        case "nan_rate" -> levels.nanRate();
                        case "out_of_range_rate" -> levels.outOfRangeRate();
                        default -> levels.unknownRate();
                    };
            if (rate.getValue() >= level.alert()) {
                return Severity.ALERT;
            }
            if (rate.getValue() >= level.warn()) {
                severity = Severity.WARN;
            }
        }
        return severity;
    }

    private Severity severity(String column, Map<String, Double> statistics) {
        MonitoringProperties.Thresholds thresholds = this.thresholds.of(column);
        Severity severity = Severity.OK;
        for (var statistic : statistics.entrySet()) {
            MonitoringProperties.Level level = thresholds.level(statistic.getKey());
            if (level == null) {
                continue;
            }
            if (MonitoringProperties.Thresholds.reaches(statistic.getKey(), statistic.getValue(), level.alert())) {
                return Severity.ALERT;
            }
            if (MonitoringProperties.Thresholds.reaches(statistic.getKey(), statistic.getValue(), level.warn())) {
                severity = Severity.WARN;
            }
        }
        return severity;
    }
}
