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
 * Online model performance from delayed labels: each prediction's score waits, by request id, for its label in a
 * bounded {@link LabelJoin} (a label that comes first waits, bounded the same way, for its prediction), and the pair
 * goes to the model version's current window of labelled predictions. A window of {@code performance.window-count} labels is closed into a
 * report: ROC-AUC, log loss, precision and recall at {@code performance.threshold}, the positive rate, and the label
 * delay (prediction to label time: median and maximum).
 */
@Component
public class OnlinePerformance {

    private final MonitoringProperties.Performance settings;
    private final MeterRegistry meters;
    private final LabelJoin<Version> pending;
    private final Map<String, List<Labelled>> open = new HashMap<>();
    private final Map<String, Deque<PerformanceReport>> reports = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Counter waiting;
    private Consumer<PerformanceReport> listener = report -> {};

    public OnlinePerformance(MonitoringProperties.Performance settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
        int capacity = settings.maxPendingPredictions();
        this.pending = new LabelJoin<>(capacity, capacity);
        this.waiting = Counter.builder("sextant.monitoring.labels")
                .description("labels.v1 records consumed, by outcome")
                .tag("outcome", "waiting")
                .register(meters);
    }

    /** Who hears of each closed window (the retrain trigger). */
    public void onReport(Consumer<PerformanceReport> listener) {
        this.listener = listener;
    }

    /** A model version, whose predictions a window holds. */
    record Version(String model, int version) {}

    /** A prediction joined with its label, and how long the label took. */
    public record Labelled(double score, boolean label, Duration delay) {}

    /**
     * A prediction's score, remembered until its label arrives (or it is forgotten); joined at once with a label
     * that arrived first (the two topics are consumed independently).
     */
    public synchronized void predicted(String requestId, String model, int version, double score, Instant time) {
        LabelJoin.Joined<Version> joined = pending.predicted(requestId, new Version(model, version), score, time);
        if (joined != null) {
            join(joined);
        }
    }

    /**
     * A label: joined with its prediction by id, or kept (bounded, the oldest forgotten first) until the prediction
     * arrives; false when it has to wait.
     */
    public synchronized boolean labelled(String eventId, boolean label, Instant labelTime) {
        LabelJoin.Joined<Version> joined = pending.labelled(eventId, label, labelTime);
        if (joined == null) {
            if (pending.await(eventId, label, labelTime)) {
                waiting.increment();
            }
            return false;
        }
        join(joined);
        return true;
    }

    private void join(LabelJoin.Joined<Version> joined) {
        meters.counter("sextant.monitoring.labels", "outcome", "joined").increment();
        Version version = joined.tag();
        String key = version.model() + "/" + version.version();
        List<Labelled> window = open.computeIfAbsent(key, k -> new ArrayList<>());
        window.add(joined.labelled());
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
