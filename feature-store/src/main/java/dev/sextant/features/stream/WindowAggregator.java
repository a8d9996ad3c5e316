package dev.sextant.features.stream;

import dev.sextant.features.client.definition.FeatureView;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Maintains one stream view's windows per entity and queues the entity's new row on every event. Every minute of
 * stream time (the latest event time the task has seen), before the first event past it, it also re-emits the rows
 * of entities whose windows lost events by ageing (a card quiet for ten minutes has a 10-minute count of 0, online and offline, not the count of
 * its last event), and forgets entities with nothing left in any window.
 *
 * <p>An event older than the view's longest window, measured from the entity's latest row, can no longer change
 * any served value and is counted as too late. A late event within it updates its bucket and the entity's row is
 * re-emitted at the row's time (never earlier).
 *
 * <p>The windows live in a hash map in the task, one object per entity, and are written back to the Kafka Streams
 * store (in memory, with a changelog) once per commit for the entities that changed, just before the commit
 * (through {@link StreamSink}'s pre-commit flush). A sorted, serialised store touched on every event cost more
 * than everything else per event; the store remains the durable copy the task is restored from.
 */
final class WindowAggregator implements Processor<String, StreamViewPlan.Event, Void, Void> {

    private final StreamViewPlan plan;
    private final FeatureView view;
    private final String windowsStore;
    private final String sinkStore;
    private final StreamMetrics metrics;
    private final Duration onlineFlushInterval;
    private final int maxPendingRows;
    private final Counter used;

    private KeyValueStore<String, WindowState> windows;
    private StreamSink sink;
    private final Map<String, Entity> working = new HashMap<>();
    /** The entities whose windows changed since the last commit, in order; forgotten ones are deleted. */
    private final List<Entity> changed = new ArrayList<>();

    private boolean loaded;
    private long sweptMinute = Long.MIN_VALUE;

    WindowAggregator(
            StreamViewPlan plan,
            String windowsStore,
            String sinkStore,
            StreamMetrics metrics,
            Duration onlineFlushInterval,
            int maxPendingRows) {
        this.plan = plan;
        this.view = plan.view();
        this.windowsStore = windowsStore;
        this.sinkStore = sinkStore;
        this.metrics = metrics;
        this.onlineFlushInterval = onlineFlushInterval;
        this.maxPendingRows = maxPendingRows;
        this.used = metrics.usedEvents(plan.view());
    }

    /** One entity of the task: its key, windows and place in the sink; looked up once per event. */
    private static final class Entity {
        final String key;
        final WindowState state;
        final StreamSink.Slot slot = new StreamSink.Slot();
        boolean changed;
        boolean forgotten;

        Entity(String key, WindowState state) {
            this.key = key;
            this.state = state;
        }
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.windows = context.getStateStore(windowsStore);
        this.sink = context.getStateStore(sinkStore);
        sink.beforeFlush(this::writeBack);
        sink.onClear(() -> loaded = false);
        context.schedule(onlineFlushInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            load();
            sink.tryWriteOnline();
        });
    }

    @Override
    public void process(Record<String, StreamViewPlan.Event> record) {
        load();
        StreamViewPlan.Event event = record.value();
        // The minutes of stream time this event moves past age the windows first, each at its minute, so the rows
        // of that ageing are the same whether the events come live or as a backlog read in one batch.
        sweepThrough(WindowState.minute(event.timeMs()));
        String key = event.entityKey();
        Entity entity = working.get(key);
        if (entity == null) {
            entity = new Entity(key, new WindowState(plan.fieldCount()));
            working.put(key, entity);
        }
        WindowState state = entity.state;
        long rowTime = Math.max(event.timeMs(), state.rowTimeMs());
        long firstMinute = WindowState.minute(rowTime) - plan.longestWindowMinutes() + 1;
        if (WindowState.minute(event.timeMs()) < firstMinute) {
            metrics.tooLate(view);
            return;
        }
        state.add(event.timeMs(), event.values());
        state.dropBefore(firstMinute);
        state.rowEmittedAt(rowTime);
        markChanged(entity);
        sink.put(entity.slot, plan.row(event.keyValues(), rowTime, plan.values(state, rowTime)), event.timeMs());
        used.increment();
        if (sink.pendingRows() >= maxPendingRows) {
            sink.tryWriteOnline();
        }
        sink.archiveIfAtLeast(maxPendingRows);
    }

    /** The task's windows from its store, once, and again after Kafka Streams drops uncommitted work. */
    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        working.clear();
        changed.clear();
        // The stored rows were emitted up to the latest of their times, whose minute had been swept.
        sweptMinute = Long.MIN_VALUE;
        try (KeyValueIterator<String, WindowState> all = windows.all()) {
            while (all.hasNext()) {
                KeyValue<String, WindowState> entry = all.next();
                working.put(entry.key, new Entity(entry.key, entry.value));
                sweptMinute = Math.max(sweptMinute, WindowState.minute(entry.value.rowTimeMs()));
            }
        }
    }

    /** Before each commit: the windows that changed since the last one into the store (and its changelog). */
    private void writeBack() {
        if (!loaded) {
            return;
        }
        for (Entity entity : changed) {
            if (entity.forgotten) {
                windows.delete(entity.key);
            } else {
                windows.put(entity.key, entity.state);
            }
            entity.changed = false;
        }
        changed.clear();
    }

    private void markChanged(Entity entity) {
        if (!entity.changed) {
            entity.changed = true;
            changed.add(entity);
        }
    }

    /** Re-emits the rows whose windows changed by ageing up to this minute of stream time. */
    /**
     * Sweeps every minute boundary after the last one swept up to {@code minute} (only {@code minute} itself the
     * first time, when the task starts or takes over windows loaded from its store).
     */
    private void sweepThrough(long minute) {
        if (sweptMinute == Long.MIN_VALUE) {
            sweep(minute);
            return;
        }
        // Once every entity is forgotten, later minutes have nothing to age.
        for (long next = sweptMinute + 1; next <= minute && !working.isEmpty(); next++) {
            sweep(next);
        }
        sweptMinute = Math.max(sweptMinute, minute);
    }

    private void sweep(long minute) {
        sweptMinute = minute;
        long at = minute * WindowState.MINUTE_MS;
        List<Entity> forgotten = new ArrayList<>();
        for (Entity entity : working.values()) {
            WindowState state = entity.state;
            if (state.rowTimeMs() < at) {
                Object[] before = plan.values(state, state.rowTimeMs());
                state.dropBefore(minute - plan.longestWindowMinutes() + 1);
                Object[] after = plan.values(state, at);
                if (!Arrays.equals(before, after)) {
                    state.rowEmittedAt(at);
                    sink.put(entity.slot, plan.row(plan.keyValues(entity.key), at, after), -1);
                    markChanged(entity);
                }
                if (state.isEmpty()) {
                    forgotten.add(entity);
                }
            }
        }
        for (Entity entity : forgotten) {
            working.remove(entity.key);
            entity.forgotten = true;
            markChanged(entity);
        }
    }
}
