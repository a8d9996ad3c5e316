package dev.sextant.features.stream;

import dev.sextant.features.client.definition.FeatureView;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
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
 * Maintains one stream view's windows per entity and queues the entity's new row on every event. At every minute
 * boundary it also re-emits, stamped at the boundary, the rows of entities whose windows lost events by ageing (a
 * card quiet for ten minutes has a 10-minute count of 0, online and offline, not the count of its last event), and
 * forgets entities with nothing left in any window. A boundary is swept when the first event past it arrives, so
 * a backlog read in one batch ages minute by minute as the same events would live; and, while the task is live
 * (its latest event was at most {@link #LIVE_LAG_MS} behind the clock when it came), when the clock passes the
 * boundary by {@code ageingDelay}, so that a quiet stream's online values age as training will see them.
 *
 * <p>Each row is stamped when the stream learnt of its event, so that offline, as online, the event counts from
 * then: a live task stamps it now; a backlog at the event's own time (at the entity's latest row's, if later).
 * An event older than the view's longest window, measured from the entity's latest row, can no longer change any
 * served value and is counted as too late; a late event within it updates its bucket.
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
    private final long ageingDelayMs;
    private final Counter used;

    /**
     * How far behind the clock a task's latest event may be for the task to count as live. A backlog (a replay, a
     * backfill, a consumer catching up) is further behind and ages by its events only: by the clock it would age
     * past events it has yet to read.
     */
    static final long LIVE_LAG_MS = 60_000;

    private KeyValueStore<String, WindowState> windows;
    private StreamSink sink;
    private final Map<String, Entity> working = new HashMap<>();
    /** The entities whose windows changed since the last commit, in order; forgotten ones are deleted. */
    private final List<Entity> changed = new ArrayList<>();

    private ProcessorContext<Void, Void> context;
    private boolean loaded;
    private long sweptMinute = Long.MIN_VALUE;
    /** Whether the latest event (or, after a load, the latest stored row) was at most a minute behind the clock. */
    private boolean live;

    WindowAggregator(
            StreamViewPlan plan,
            String windowsStore,
            String sinkStore,
            StreamMetrics metrics,
            Duration onlineFlushInterval,
            int maxPendingRows,
            Duration ageingDelay) {
        this.plan = plan;
        this.view = plan.view();
        this.windowsStore = windowsStore;
        this.sinkStore = sinkStore;
        this.metrics = metrics;
        this.onlineFlushInterval = onlineFlushInterval;
        this.maxPendingRows = maxPendingRows;
        this.ageingDelayMs = ageingDelay.toMillis();
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
        this.context = context;
        this.windows = context.getStateStore(windowsStore);
        this.sink = context.getStateStore(sinkStore);
        sink.beforeFlush(this::writeBack);
        sink.onClear(() -> loaded = false);
        context.schedule(onlineFlushInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            load();
            if (live) {
                sweepThrough(WindowState.minute(now - ageingDelayMs));
            }
            sink.tryWriteOnline();
        });
    }

    @Override
    public void process(Record<String, StreamViewPlan.Event> record) {
        load();
        StreamViewPlan.Event event = record.value();
        long now = context.currentSystemTimeMs();
        live = event.timeMs() >= now - LIVE_LAG_MS;
        // An event dated ahead of this clock (within the allowed skew) moves the task's time only up to the clock:
        // its bucket enters the windows when the clock reaches it.
        long known = Math.min(event.timeMs(), now);
        // The minutes of stream time this event moves past age the windows first, each at its minute, so the rows
        // of that ageing are the same whether the events come live or as a backlog read in one batch.
        sweepThrough(WindowState.minute(known));
        String key = event.entityKey();
        Entity entity = working.get(key);
        if (entity == null) {
            entity = new Entity(key, new WindowState(plan.fieldCount()));
            working.put(key, entity);
        } else {
            catchUp(entity, WindowState.minute(known));
        }
        WindowState state = entity.state;
        // The row is stamped when the stream learnt of the event, since no read before then could have seen it:
        // live, now; in a backlog, at the event's own time (at the entity's latest row's, if that is later).
        long rowTime = Math.max(live ? now : known, state.rowTimeMs());
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
        long latestRowMs = Long.MIN_VALUE;
        try (KeyValueIterator<String, WindowState> all = windows.all()) {
            while (all.hasNext()) {
                KeyValue<String, WindowState> entry = all.next();
                working.put(entry.key, new Entity(entry.key, entry.value));
                latestRowMs = Math.max(latestRowMs, entry.value.rowTimeMs());
            }
        }
        if (latestRowMs != Long.MIN_VALUE) {
            sweptMinute = WindowState.minute(latestRowMs);
        }
        // A task restarted in a quiet live stream goes on ageing its windows by the clock.
        live = latestRowMs >= context.currentSystemTimeMs() - LIVE_LAG_MS;
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

    /**
     * Ages one entity's windows up to {@code minute} on its own: a row at every boundary since its latest row where
     * one of its buckets left a window. The task's sweeps do that for the entities they find; an entity whose
     * events come after the task's time has moved past theirs (a backfill behind newer events of other entities)
     * is aged here, so its rows are those its events would give alone.
     */
    private void catchUp(Entity entity, long minute) {
        WindowState state = entity.state;
        for (long change = nextChange(state, WindowState.minute(state.rowTimeMs()));
                change <= minute;
                change = nextChange(state, change)) {
            long at = change * WindowState.MINUTE_MS;
            state.rowEmittedAt(at);
            sink.put(entity.slot, plan.row(plan.keyValues(entity.key), at, plan.values(state, at)), -1);
            markChanged(entity);
        }
    }

    /**
     * The first minute after {@code from} at which one of the entity's buckets leaves a window, or enters the
     * windows (an event dated ahead of the clock when it came); {@code Long.MAX_VALUE} when none does.
     */
    private long nextChange(WindowState state, long from) {
        long next = Long.MAX_VALUE;
        for (int b = 0; b < state.buckets(); b++) {
            long bucket = state.bucketMinute(b);
            if (bucket > from) {
                next = Math.min(next, bucket);
            }
            for (int window : plan.windowLengths()) {
                if (bucket + window > from) {
                    next = Math.min(next, bucket + window);
                }
            }
        }
        return next;
    }

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
                catchUp(entity, minute);
                state.dropBefore(minute - plan.longestWindowMinutes() + 1);
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
