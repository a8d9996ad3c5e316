package dev.sextant.monitoring.alerting;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.drift.DriftReport;
import dev.sextant.monitoring.drift.DriftReport.Severity;
import dev.sextant.monitoring.drift.ThresholdSettings;
import dev.sextant.monitoring.performance.OnlinePerformance;
import dev.sextant.monitoring.performance.PerformanceReport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns judged windows into events. Per model version and column, a severity change is published to
 * {@code drift-alerts.v1} (raised or cleared; an unchanged severity publishes nothing, so a lasting drift is one
 * event). Hysteresis: a column in ALERT stays there until a window drops below the warn level. When a model version
 * has had an alerting column for {@code retrain.after-windows} windows in a row, or its online ROC-AUC has been below
 * {@code performance.min-roc-auc} for as many labelled windows, a {@code retrain-requests.v1} event asks the training
 * orchestrator to retrain, with the evidence, at most once per model per {@code retrain.cooldown}.
 */
@Component
public class DriftAlerts {

    private static final Logger log = LoggerFactory.getLogger(DriftAlerts.class);

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;
    private final MonitoringProperties.Topics topics;
    private final MonitoringProperties.Retrain retrain;
    private final double minRocAuc;
    private final ThresholdSettings thresholds;
    private final Clock clock;
    private final Map<String, Severity> states = new HashMap<>();
    private final Map<String, Integer> alertingWindows = new HashMap<>();
    private final Map<String, Integer> lowPerformanceWindows = new HashMap<>();
    private final Map<String, Instant> lastRetrain = new HashMap<>();
    private final Deque<Map<String, Object>> history = new ArrayDeque<>();

    DriftAlerts(
            KafkaTemplate<String, String> kafka,
            JsonMapper json,
            MonitoringProperties.Topics topics,
            MonitoringProperties.Retrain retrain,
            MonitoringProperties.Performance performanceSettings,
            ThresholdSettings thresholds,
            OnlinePerformance performance,
            Clock clock) {
        performance.onReport(this::performanceJudged);
        this.kafka = kafka;
        this.thresholds = thresholds;
        this.json = json;
        this.topics = topics;
        this.retrain = retrain;
        this.minRocAuc = performanceSettings.minRocAuc();
        this.clock = clock;
    }

    /** Called with each judged window; a model version's windows come in order (its logs are in one partition). */
    public synchronized void judged(DriftReport report) {
        if (report.status() == Severity.INSUFFICIENT_DATA || report.status() == Severity.NO_REFERENCE) {
            return;
        }
        String versionKey = report.model() + "/" + report.version();
        boolean alerting = false;
        for (var entry : report.columns().entrySet()) {
            DriftReport.ColumnDrift drift = entry.getValue();
            if (drift.severity() == null) {
                continue;
            }
            String key = versionKey + "/" + entry.getKey();
            Severity before = states.getOrDefault(key, Severity.OK);
            Severity now =
                    before == Severity.ALERT && drift.severity() == Severity.WARN ? Severity.ALERT : drift.severity();
            alerting |= now == Severity.ALERT;
            if (now != before) {
                states.put(key, now);
                publishAlert(report, entry.getKey(), drift, before, now);
            }
        }
        int streak = alerting ? alertingWindows.merge(versionKey, 1, Integer::sum) : 0;
        alertingWindows.put(versionKey, streak);
        if (streak >= retrain.afterWindows()) {
            requestRetrain(report, streak);
        }
    }

    /** Published alerts, newest first (the last 1,000). */
    public synchronized List<Map<String, Object>> history(String model) {
        return history.stream()
                .filter(alert -> model == null || model.equals(alert.get("model")))
                .toList();
    }

    private void publishAlert(
            DriftReport report, String column, DriftReport.ColumnDrift drift, Severity before, Severity now) {
        MonitoringProperties.Thresholds thresholds = this.thresholds.of(column);
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("model", report.model());
        alert.put("version", report.version());
        alert.put("window", window(report));
        alert.put("feature", column);
        String statistic = worst(drift.statistics(), thresholds);
        alert.put("statistic", statistic);
        alert.put("value", drift.statistics().get(statistic));
        MonitoringProperties.Level level = thresholds.level(statistic);
        alert.put("threshold", now == Severity.ALERT ? level.alert() : level.warn());
        alert.put("severity", now.name().toLowerCase(java.util.Locale.ROOT));
        alert.put("previous_severity", before.name().toLowerCase(java.util.Locale.ROOT));
        alert.put("samples", drift.samples());
        alert.put("time", clock.instant().toString());
        send(topics.alerts(), report.model(), alert);
        history.addFirst(alert);
        while (history.size() > 1_000) {
            history.removeLast();
        }
        log.info(
                "drift alert: {} {} v{} {} {}={}",
                now,
                report.model(),
                report.version(),
                column,
                statistic,
                drift.statistics().get(statistic));
    }

    /**
     * Called with each closed performance window: when a version's online ROC-AUC has been below
     * {@code performance.min-roc-auc} for {@code retrain.after-windows} windows in a row, retraining is requested
     * (the same cooldown per model as drift's).
     */
    synchronized void performanceJudged(PerformanceReport report) {
        Double rocAuc = report.metrics().get("roc_auc");
        if (rocAuc == null) {
            return; // one class only in the window: nothing to judge
        }
        String versionKey = report.model() + "/" + report.version();
        int streak = rocAuc < minRocAuc ? lowPerformanceWindows.merge(versionKey, 1, Integer::sum) : 0;
        lowPerformanceWindows.put(versionKey, streak);
        if (streak < retrain.afterWindows()) {
            return;
        }
        Instant now = clock.instant();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("version", report.version());
        evidence.put("windows_below", streak);
        evidence.put("min_roc_auc", minRocAuc);
        evidence.put("metrics", report.metrics());
        requestRetrain(
                report.model(),
                String.format(
                        java.util.Locale.ROOT,
                        "online ROC-AUC %.3f of version %d below %.3f for %d labelled windows in a row",
                        rocAuc,
                        report.version(),
                        minRocAuc,
                        streak),
                evidence,
                "performance-" + report.model() + "-v" + report.version() + "-" + now);
    }

    private void requestRetrain(DriftReport report, int streak) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("version", report.version());
        evidence.put("windows_in_alert", streak);
        evidence.put("window", window(report));
        Map<String, Object> columns = new LinkedHashMap<>();
        report.columns().forEach((column, drift) -> {
            if (drift.severity() == Severity.ALERT) {
                columns.put(column, drift.statistics());
            }
        });
        evidence.put("alerting", columns);
        requestRetrain(
                report.model(),
                "drift alert on " + String.join(", ", columns.keySet()) + " of version " + report.version() + " for "
                        + streak + " windows in a row",
                evidence,
                "drift-" + report.model() + "-v" + report.version() + "-" + report.windowStart());
    }

    /** Publishes a retrain request, at most one per model per {@code retrain.cooldown}. */
    private void requestRetrain(String model, String reason, Map<String, Object> evidence, String idempotencyKey) {
        Instant now = clock.instant();
        Instant last = lastRetrain.get(model);
        if (last != null && last.plus(retrain.cooldown()).isAfter(now)) {
            return;
        }
        lastRetrain.put(model, now);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("model", model);
        request.put("reason", reason);
        request.put("evidence", evidence);
        request.put("time", now.toString());
        request.put("idempotency_key", idempotencyKey);
        send(retrain.topic(), model, request);
        log.info("retrain requested for {}: {}", model, reason);
    }

    private void send(String topic, String key, Map<String, Object> value) {
        try {
            kafka.send(new ProducerRecord<>(topic, key, json.writeValueAsString(value)))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot publish to " + topic + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> window(DriftReport report) {
        return Map.of(
                "start",
                report.windowStart().toString(),
                "end",
                report.windowEnd().toString());
    }

    /** The statistic furthest along its alert level. */
    private static String worst(Map<String, Double> statistics, MonitoringProperties.Thresholds thresholds) {
        String worst = null;
        double ratio = -1;
        for (var statistic : statistics.entrySet()) {
            if (thresholds.level(statistic.getKey()) == null) {
                continue;
            }
            double r = thresholds.alertRatio(statistic.getKey(), statistic.getValue());
            if (r > ratio) {
                ratio = r;
                worst = statistic.getKey();
            }
        }
        return worst;
    }
}
