package dev.sextant.monitoring.window;

import dev.sextant.monitoring.MonitoringProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Tumbling windows per model version, by event time: a log whose time is past the window's span, or that would
 * exceed its count, closes the window (handed to the closer, which judges it) and opens the next. A window that
 * receives nothing for {@code window.idle} (wall-clock time) closes too, so the last window of a model whose traffic
 * stopped is judged.
 *
 * <p>Exactly-once aggregation over an at-least-once stream. Consumption commits, per partition, the first offset
 * of the oldest open window ({@link #resumeOffset}), so a restart reads every open window's records again; and it
 * remembers, per partition and model version, the last offset judged in a closed window ({@link #closedThrough},
 * stored with the committed offset), so a replayed record of a window already judged is skipped. A record read
 * twice inside one window is counted once by its request id. A model version's records are in offset order within
 * a partition (the record key is the model), which is what makes the marks exact. Consumer threads (one per
 * partition at most) call it concurrently; its methods are synchronized.
 */
@Component
public class WindowAggregator {

    private final MonitoringProperties.Window settings;
    private final Map<String, ModelWindow> open = new HashMap<>();
    /** Per partition, per model version ({@code model/version}): the last offset of its last closed window. */
    private final Map<Integer, Map<String, Long>> closed = new HashMap<>();
    /** The latest request ids ({@code model/version/id}), to count a log its producer published twice once. */
    private final Map<String, Boolean> recent;

    private final Counter duplicates;
    private final Counter replayed;
    private final Counter evicted;
    private Consumer<ModelWindow> closer = window -> {};

    public WindowAggregator(MonitoringProperties.Window settings, MeterRegistry meters) {
        this.settings = settings;
        int remembered = settings.dedupeRequests();
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > remembered;
            }
        };
        this.duplicates = meters.counter("sextant.monitoring.logs", "outcome", "duplicate");
        this.replayed = meters.counter("sextant.monitoring.logs", "outcome", "replayed");
        this.evicted = Counter.builder("sextant.monitoring.windows.evicted")
                .description("Windows closed early because window.max-open windows were open")
                .register(meters);
        Gauge.builder("sextant.monitoring.windows.open", this, WindowAggregator::openWindows)
                .description("Open windows, one per model version receiving logs (at most window.max-open)")
                .register(meters);
    }

    private synchronized double openWindows() {
        return open.size();
    }

    /** Who receives each closed window. */
    public void onClose(Consumer<ModelWindow> closer) {
        this.closer = closer;
    }

    /**
     * Adds a log read at a partition's offset; false when it was already aggregated: a record read again (a replay of
     * a judged window, or a retried batch) or a request id among the latest {@code window.dedupe-requests} (a log
     * published twice).
     */
    public synchronized boolean accept(PredictionLog log, int partition, long offset) {
        String key = log.model() + "/" + log.version();
        Long judged = closed.getOrDefault(partition, Map.of()).get(key);
        if (judged != null && offset <= judged) {
            replayed.increment();
            return false;
        }
        ModelWindow window = open.get(key);
        if (window != null
                && (!log.time().isBefore(window.start().plus(settings.duration()))
                        || (settings.count() > 0 && window.predictions() >= settings.count()))) {
            close(key, window);
            window = null;
        }
        if (window == null) {
            if (open.size() >= settings.maxOpen()) {
                evictLeastRecentlyFed();
            }
            window = new ModelWindow(log.model(), log.version(), log.time());
            open.put(key, window);
        }
        if (window.holds(partition, offset)) {
            replayed.increment();
            return false;
        }
        if (recent.put(key + "/" + log.requestId(), Boolean.TRUE) != null) {
            duplicates.increment();
            window.span(partition, offset, System.nanoTime());
            return false;
        }
        window.add(log, partition, offset, System.nanoTime());
        return true;
    }

    /** Closes the windows that received nothing for {@code window.idle}. */
    public synchronized void closeIdle() {
        long now = System.nanoTime();
        List<String> idle = new ArrayList<>();
        open.forEach((key, window) -> {
            if (now - window.lastArrival() >= settings.idle().toNanos()) {
                idle.add(key);
            }
        });
        idle.forEach(key -> close(key, open.get(key)));
    }

    /** Closes the window that received a log longest ago, making room for another model version's. */
    private void evictLeastRecentlyFed() {
        String oldest = null;
        long oldestArrival = Long.MAX_VALUE;
        for (Map.Entry<String, ModelWindow> entry : open.entrySet()) {
            if (oldest == null || entry.getValue().lastArrival() - oldestArrival < 0) {
                oldest = entry.getKey();
                oldestArrival = entry.getValue().lastArrival();
            }
        }
        evicted.increment();
        close(oldest, open.get(oldest));
    }

    private void close(String key, ModelWindow window) {
        open.remove(key);
        window.lastOffsets().forEach((partition, last) -> closed.computeIfAbsent(partition, p -> new HashMap<>())
                .merge(key, last, Math::max));
        closer.accept(window);
    }

    /**
     * Where consumption of a partition may resume without losing an open window: the first offset of its oldest open
     * window there, else {@code next} (the offset after the last record read).
     */
    public synchronized long resumeOffset(int partition, long next) {
        long resume = next;
        for (ModelWindow window : open.values()) {
            Long first = window.firstOffsets().get(partition);
            if (first != null && first < resume) {
                resume = first;
            }
        }
        return resume;
    }

    /**
     * The marks of a partition that a consumer resuming at {@code resume} needs (those at or after it; older ones
     * are forgotten, as no record before {@code resume} will be read again).
     */
    public synchronized Map<String, Long> closedThrough(int partition, long resume) {
        Map<String, Long> marks = closed.getOrDefault(partition, new HashMap<>());
        marks.values().removeIf(last -> last < resume);
        return Map.copyOf(marks);
    }

    /** Takes the marks committed with a partition's offset, when the partition is assigned. */
    public synchronized void restore(int partition, Map<String, Long> marks) {
        Map<String, Long> known = closed.computeIfAbsent(partition, p -> new HashMap<>());
        marks.forEach((key, last) -> known.merge(key, last, Math::max));
    }

    /**
     * Forgets what came from a revoked partition: its marks, and the open windows holding its records. Whoever reads
     * it next (this instance too) starts again from its committed offset and marks. Rebalancing is eager, so every
     * partition of a window spanning several is revoked with the others.
     */
    public synchronized void forget(int partition) {
        closed.remove(partition);
        open.values().removeIf(window -> window.firstOffsets().containsKey(partition));
        recent.clear();
    }
}
