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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Online model performance from delayed labels: each prediction's score is kept, by request id, in a bounded index
 * (the oldest forgotten first); a label naming that request id joins it (a label that comes first waits, bounded
 * the same way, for its prediction), and the pair goes to the model version's current window of labelled
 * predictions. A window of {@code performance.window-count} labels is closed into a
 * report: ROC-AUC, log loss, precision and recall at {@code performance.threshold}, the positive rate, and the label
 * delay (prediction to label time: median and maximum).
 */
@Component
public class OnlinePerformance {

    private final MonitoringProperties.Performance settings;
    private final MeterRegistry meters;
    private final Map<String, Scored> scores;
    private final Map<String, PendingLabel> pendingLabels;
    private final Map<String, List<Labelled>> open = new HashMap<>();
    private final Map<String, Deque<PerformanceReport>> reports = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Counter waiting;

    OnlinePerformance(MonitoringProperties properties, MeterRegistry meters) {
        this.settings = properties.performance();
        this.meters = meters;
        int capacity = settings.maxPendingPredictions();
        this.scores = bounded(capacity);
        this.pendingLabels = bounded(capacity);
        this.waiting = Counter.builder("sextant.monitoring.labels")
                .description("labels.v1 records consumed, by outcome")
                .tag("outcome", "waiting")
                .register(meters);
    }

    /** A map that forgets its oldest entry beyond the capacity; only used under this object's lock. */
    private static <V> Map<String, V> bounded(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    record Scored(String model, int version, double score, Instant time) {}

    record Labelled(double score, boolean label, Duration delay) {}

    record PendingLabel(boolean label, Instant labelTime) {}

    /**
     * A prediction's score, remembered until its label arrives (or it is forgotten); joined at once with a label
     * that arrived first (the two topics are consumed independently).
     */
    public synchronized void predicted(String requestId, String model, int version, double score, Instant time) {
        Scored scored = new Scored(model, version, score, time);
        PendingLabel early = pendingLabels.remove(requestId);
        if (early != null) {
            join(scored, early.label(), early.labelTime());
        } else {
            scores.put(requestId, scored);
        }
    }

    /**
     * A label: joined with its prediction by id, or kept (bounded, the oldest forgotten first) until the prediction
     * arrives; false when it has to wait.
     */
    public synchronized boolean labelled(String eventId, boolean label, Instant labelTime) {
        Scored scored = scores.remove(eventId);
        if (scored == null) {
            if (pendingLabels.put(eventId, new PendingLabel(label, labelTime)) == null) {
                waiting.increment();
            }
            return false;
        }
        join(scored, label, labelTime);
        return true;
    }

    private void join(Scored scored, boolean label, Instant labelTime) {
        meters.counter("sextant.monitoring.labels", "outcome", "joined").increment();
        String key = scored.model() + "/" + scored.version();
        List<Labelled> window = open.computeIfAbsent(key, k -> new ArrayList<>());
        window.add(new Labelled(scored.score(), label, Duration.between(scored.time(), labelTime)));
        if (window.size() >= settings.windowCount()) {
            open.remove(key);
            close(scored.model(), scored.version(), window);
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
