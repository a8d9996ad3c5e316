package dev.sextant.monitoring.performance;

import dev.sextant.monitoring.MonitoringProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Online model performance from delayed labels: each prediction's score is kept, by request id, in a bounded index
 * ({@link PendingIndex}: the oldest forgotten first, about 40 bytes an entry); a label naming that request id joins it (a label that comes first waits, bounded
 * the same way, for its prediction), and the pair goes to the model version's current window of labelled
 * predictions. A window of {@code performance.window-count} labels is closed into a
 * report: ROC-AUC, log loss, precision and recall at {@code performance.threshold}, the positive rate, and the label
 * delay (prediction to label time: median and maximum).
 */
@Component
public class OnlinePerformance {

    private final MonitoringProperties.Performance settings;
    private final MeterRegistry meters;
    private final PendingIndex scores;
    private final PendingIndex pendingLabels;
    /** The model versions of the pending scores, by tag. */
    private final List<Version> versions = new ArrayList<>();

    private final Map<String, Integer> tags = new HashMap<>();
    private final Map<String, List<Labelled>> open = new HashMap<>();
    private final Map<String, Deque<PerformanceReport>> reports = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Counter waiting;
    private Consumer<PerformanceReport> listener = report -> {};
    private JoinListener joins = (model, version, rollout, labelled) -> {};

    public OnlinePerformance(MonitoringProperties properties, MeterRegistry meters) {
        this.settings = properties.performance();
        this.meters = meters;
        int capacity = settings.maxPendingPredictions();
        this.scores = new PendingIndex(capacity);
        this.pendingLabels = new PendingIndex(capacity);
        this.waiting = Counter.builder("sextant.monitoring.labels")
                .description("labels.v1 records consumed, by outcome")
                .tag("outcome", "waiting")
                .register(meters);
    }

    /** Who hears of each closed window (the retrain trigger). */
    public void onReport(Consumer<PerformanceReport> listener) {
        this.listener = listener;
    }

    /** A version's predictions, and the rollout that assigned them (null when none did). */
    record Version(String model, int version, Long rollout) {}

    /** Hears of each prediction joined with its label, under the join's lock: must be quick. */
    @FunctionalInterface
    public interface JoinListener {
        void joined(String model, int version, Long rollout, Labelled labelled);
    }

    /** Who hears of each joined prediction (the rollouts' evidence). */
    public void onJoin(JoinListener listener) {
        this.joins = listener;
    }

    /** A prediction joined with its label, and how long the label took. */
    public record Labelled(double score, boolean label, Duration delay) {}

    /**
     * A prediction's score, remembered until its label arrives (or it is forgotten); joined at once with a label
     * that arrived first (the two topics are consumed independently).
     */
    public synchronized void predicted(
            String requestId, String model, int version, Long rollout, double score, Instant time) {
        long key = PendingIndex.key(requestId);
        int early = pendingLabels.take(key);
        if (early >= 0) {
            join(
                    new Version(model, version, rollout),
                    score,
                    time.toEpochMilli(),
                    pendingLabels.value(early) == 1,
                    pendingLabels.time(early));
            return;
        }
        Integer tag = tags.computeIfAbsent(model + "/" + version + "/" + rollout, k -> {
            versions.add(new Version(model, version, rollout));
            return versions.size() - 1;
        });
        scores.put(key, time.toEpochMilli(), (float) score, tag);
    }

    /**
     * A label: joined with its prediction by id, or kept (bounded, the oldest forgotten first) until the prediction
     * arrives; false when it has to wait.
     */
    public synchronized boolean labelled(String eventId, boolean label, Instant labelTime) {
        long key = PendingIndex.key(eventId);
        int scored = scores.take(key);
        if (scored < 0) {
            if (!pendingLabels.put(key, labelTime.toEpochMilli(), label ? 1 : 0, 0)) {
                waiting.increment();
            }
            return false;
        }
        join(
                versions.get(scores.tag(scored)),
                scores.value(scored),
                scores.time(scored),
                label,
                labelTime.toEpochMilli());
        return true;
    }

    private void join(Version version, double score, long predictedAt, boolean label, long labelledAt) {
        meters.counter("sextant.monitoring.labels", "outcome", "joined").increment();
        String key = version.model() + "/" + version.version();
        Labelled labelled = new Labelled(score, label, Duration.ofMillis(labelledAt - predictedAt));
        joins.joined(version.model(), version.version(), version.rollout(), labelled);
        List<Labelled> window = open.computeIfAbsent(key, k -> new ArrayList<>());
        window.add(labelled);
        if (window.size() >= settings.windowCount()) {
            open.remove(key);
            close(version.model(), version.version(), window);
        }
    }

    private void close(String model, int version, List<Labelled> window) {
        PerformanceReport report = PerformanceReport.of(model, version, window, settings.threshold());
        Deque<PerformanceReport> history = reports.computeIfAbsent(model + "/" + version, k -> new ArrayDeque<>());
        synchronized (history) {
            history.addFirst(report);
            while (history.size() > settings.history()) {
                history.removeLast();
            }
        }
        report.metrics()
                .forEach((metric, value) -> gauge(model, version, metric).set(Double.doubleToLongBits(value)));
        listener.accept(report);
    }

    /** A version's performance windows, newest first. */
    public List<PerformanceReport> history(String model, int version) {
        Deque<PerformanceReport> history = reports.get(model + "/" + version);
        if (history == null) {
            return List.of();
        }
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    private AtomicLong gauge(String model, int version, String metric) {
        return gauges.computeIfAbsent(model + "/" + version + "/" + metric, k -> {
            AtomicLong bits = new AtomicLong();
            Gauge.builder("sextant.monitoring.performance", bits, b -> Double.longBitsToDouble(b.get()))
                    .tag("model", model)
                    .tag("version", String.valueOf(version))
                    .tag("metric", metric)
                    .register(meters);
            return bits;
        });
    }
}
