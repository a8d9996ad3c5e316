package dev.sextant.monitoring.drift;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The judged windows: the latest and a bounded history per model version, and their statistics as Prometheus
 * gauges ({@code sextant_monitoring_drift{model, version, feature, statistic}} and
 * {@code sextant_monitoring_drift_severity{model, version, feature}}: 0 ok, 1 warn, 2 alert;
 * {@code sextant_monitoring_quality{model, version, feature, rate}} and
 * {@code sextant_monitoring_quality_severity{model, version, feature}}).
 */
@Component
public class DriftReports {

    private final MeterRegistry meters;
    private final int history;
    private final Map<String, Map<Integer, Deque<DriftReport>>> byModel = new ConcurrentHashMap<>();
    private final Map<List<String>, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Map<String, DriftReport> skew = new ConcurrentHashMap<>();

    DriftReports(MeterRegistry meters, dev.sextant.monitoring.MonitoringProperties.Window window) {
        this.meters = meters;
        this.history = window.history();
    }

    public void add(DriftReport report) {
        Deque<DriftReport> reports = byModel.computeIfAbsent(report.model(), m -> new ConcurrentHashMap<>())
                .computeIfAbsent(report.version(), v -> new ArrayDeque<>());
        synchronized (reports) {
            reports.addFirst(report);
            while (reports.size() > history) {
                reports.removeLast();
            }
        }
        report.columns().forEach((column, drift) -> {
            if (drift.quality() != null) {
                drift.quality().forEach((rate, value) -> gauge(
                                "sextant.monitoring.quality",
                                List.of(report.model(), String.valueOf(report.version()), column, rate))
                        .set(Double.doubleToLongBits(value)));
                gauge(
                                "sextant.monitoring.quality.severity",
                                List.of(report.model(), String.valueOf(report.version()), column))
                        .set(Double.doubleToLongBits(level(drift.qualitySeverity())));
            }
            if (drift.statistics() == null) {
                return;
            }
            drift.statistics().forEach((statistic, value) -> gauge(
                            "sextant.monitoring.drift",
                            List.of(report.model(), String.valueOf(report.version()), column, statistic))
                    .set(Double.doubleToLongBits(value)));
            gauge(
                            "sextant.monitoring.drift.severity",
                            List.of(report.model(), String.valueOf(report.version()), column))
                    .set(Double.doubleToLongBits(level(drift.severity())));
        });
    }

    private static double level(DriftReport.Severity severity) {
        return severity == DriftReport.Severity.ALERT ? 2 : severity == DriftReport.Severity.WARN ? 1 : 0;
    }

    /**
     * A version's training/serving skew: its first served predictions judged against its training reference, as
     * gauges {@code sextant_monitoring_skew{model, version, feature, statistic}} and
     * {@code sextant_monitoring_skew_severity{model, version, feature}}.
     */
    public void addSkew(DriftReport report) {
        skew.put(report.model() + "/" + report.version(), report);
        report.columns().forEach((column, drift) -> {
            if (drift.statistics() == null) {
                return;
            }
            List<String> tags = List.of(report.model(), String.valueOf(report.version()), column);
            drift.statistics().forEach((statistic, value) -> {
                List<String> withStatistic = new java.util.ArrayList<>(tags);
                withStatistic.add(statistic);
                gauge("sextant.monitoring.skew", withStatistic).set(Double.doubleToLongBits(value));
            });
            gauge("sextant.monitoring.skew.severity", tags).set(Double.doubleToLongBits(level(drift.severity())));
        });
    }

    public Optional<DriftReport> skew(String model, int version) {
        return Optional.ofNullable(skew.get(model + "/" + version));
    }

    /** The latest report of each version of a model, newest version first; empty when the model was never seen. */
    public Optional<List<DriftReport>> latest(String model) {
        Map<Integer, Deque<DriftReport>> versions = byModel.get(model);
        if (versions == null) {
            return Optional.empty();
        }
        return Optional.of(versions.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getKey(), a.getKey()))
                .map(entry -> {
                    synchronized (entry.getValue()) {
                        return entry.getValue().peekFirst();
                    }
                })
                .filter(java.util.Objects::nonNull)
                .toList());
    }

    /** Every model seen, with its versions seen. */
    public Map<String, List<Integer>> models() {
        Map<String, List<Integer>> models = new java.util.TreeMap<>();
        byModel.forEach((model, versions) ->
                models.put(model, versions.keySet().stream().sorted().toList()));
        return models;
    }

    /** A version's judged windows, newest first. */
    public List<DriftReport> history(String model, int version) {
        Deque<DriftReport> reports = byModel.getOrDefault(model, Map.of()).get(version);
        if (reports == null) {
            return List.of();
        }
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    private AtomicLong gauge(String name, List<String> tags) {
        List<String> key = new java.util.ArrayList<>(tags);
        key.add(0, name);
        return gauges.computeIfAbsent(key, k -> {
            AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));
            Gauge.Builder<AtomicLong> builder = Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
                    .tag("model", tags.get(0))
                    .tag("version", tags.get(1))
                    .tag("feature", tags.get(2));
            if (tags.size() > 3) {
                builder.tag(name.endsWith("quality") ? "rate" : "statistic", tags.get(3));
            }
            builder.register(meters);
            return bits;
        });
    }
}
