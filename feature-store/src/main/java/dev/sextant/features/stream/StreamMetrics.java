package dev.sextant.features.stream;

import dev.sextant.features.client.definition.FeatureView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming pipeline's meters: freshness (event time to online availability), events used, rejected and too
 * late, rows written online and appended offline; and the online store's last fault, for health.
 */
final class StreamMetrics {

    private static final Logger log = LoggerFactory.getLogger(StreamMetrics.class);

    private final MeterRegistry meters;
    private final Map<String, Timer> freshness = new ConcurrentHashMap<>();
    private final Map<String, String> onlineFaults = new ConcurrentHashMap<>();
    private final Map<CounterId, Counter> counters = new ConcurrentHashMap<>();

    StreamMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void freshness(FeatureView view, long millis) {
        freshness
                .computeIfAbsent(view.name(), name -> Timer.builder("sextant.features.stream.freshness")
                        .description("From an event's time to its aggregates being readable online")
                        .tag("view", name)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(10))
                        .register(meters))
                .record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /** The counter of events a view used; held by its aggregator (it counts every event). */
    Counter usedEvents(FeatureView view) {
        return counter("sextant.features.stream.events", view, "outcome", "used");
    }

    void rejected(FeatureView view, String reason, String detail, String where) {
        counter("sextant.features.stream.events", view, "outcome", "rejected_" + reason)
                .increment();
        log.warn("stream view {}: skipped the event at {}: {}", view.name(), where, detail);
    }

    void tooLate(FeatureView view) {
        counter("sextant.features.stream.events", view, "outcome", "too_late").increment();
    }

    void writtenOnline(FeatureView view, int rows) {
        counter("sextant.features.stream.rows", view, "store", "online").increment(rows);
    }

    void appendedOffline(FeatureView view, int rows) {
        counter("sextant.features.stream.rows", view, "store", "offline").increment(rows);
    }

    void onlineFailed(FeatureView view, RuntimeException fault) {
        if (onlineFaults.put(view.name(), String.valueOf(fault.getMessage())) == null) {
            log.warn(
                    "stream view {}: cannot write the online store ({}); rows wait and are retried",
                    view.name(),
                    fault.getMessage());
        }
    }

    void onlineRecovered(FeatureView view) {
        if (onlineFaults.remove(view.name()) != null) {
            log.info("stream view {}: the online store is writable again", view.name());
        }
    }

    /** Views whose rows currently cannot be written online, with the fault. */
    Map<String, String> onlineFaults() {
        return Map.copyOf(onlineFaults);
    }

    private Counter counter(String name, FeatureView view, String tag, String value) {
        return counters.computeIfAbsent(new CounterId(name, view.name(), tag, value), id -> Counter.builder(name)
                .tag("view", id.view())
                .tag(tag, value)
                .register(meters));
    }

    private record CounterId(String name, String view, String tag, String value) {}
}
