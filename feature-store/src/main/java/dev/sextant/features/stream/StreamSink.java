package dev.sextant.features.stream;

import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.online.FeatureRow;
import dev.sextant.features.client.online.OnlineFeatureWriter;
import dev.sextant.features.client.online.OnlineStoreUnavailableException;
import dev.sextant.features.offline.OfflineStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a stream view's rows leave the topology, as a Kafka Streams state store of one task that Kafka Streams
 * flushes before every commit: nothing is acknowledged upstream before it is online and offline. (Kafka Streams
 * 4.1 flushes the caches of {@link CachedStateStore}s in {@code StreamTask.prepareCommit}, before the offsets and
 * the transaction commit, and calls {@link StateStore#flush()} only after; the sink is therefore a cached store.
 * {@code StreamingAggregatesIT} fails if a Kafka Streams upgrade changes that.)
 * Writing either store early is safe: a replay writes the same rows again, which the online store ignores as
 * not newer and offline reads collapse to one per entity and event time.
 *
 * <ul>
 *   <li>Rows are coalesced per entity (the latest row wins) and written online by {@link #writeOnline()} every
 *       online-flush interval, pipelined, one batch in flight while the next is computed; that interval bounds
 *       freshness.
 *   <li>Every row, one per entity and event (not coalesced: point-in-time retrieval at any transaction finds
 *       the value as of it), is appended offline in one Parquet file per view per commit, or sooner when many
 *       are waiting.
 *   <li>{@link #flush()} (at commit) writes what is left and waits for Redis to acknowledge it, retrying while the online store is down up to a
 *       bound, then fails the commit: the task restarts from its last commit and replays (idempotently: the
 *       online store keeps the newest event, offline duplicates of an event are collapsed on read).
 * </ul>
 */
final class StreamSink implements StateStore, CachedStateStore<String, Void> {

    private static final Logger log = LoggerFactory.getLogger(StreamSink.class);

    private final String name;
    private final FeatureView view;
    private final OnlineFeatureWriter online;
    private final OfflineStore offline;
    private final StreamMetrics metrics;
    private final Duration retryFor;
    private final Clock clock;
    /** The entities with a row waiting to go online (the latest row each, in {@link Slot#pending}). */
    private final List<Slot> pending = new ArrayList<>();

    /** Rows not yet appended offline: every row, one per entity and event time (the latest computed). */
    private final List<FeatureRow> unarchived = new ArrayList<>();

    /** Counts the times {@link #unarchived} was emptied: a slot's index into it is valid only in its generation. */
    private int generation;

    /** The batch sent online and not yet answered (at most one). */
    private InFlight inFlight;

    private record InFlight(
            List<Slot> slots, List<FeatureRow> rows, long[] sourceEventMs, OnlineFeatureWriter.Write write) {}

    private volatile boolean open;
    private Runnable beforeFlush = () -> {};
    private Runnable onClear = () -> {};

    /**
     * One entity's place in the sink's queues, held by the aggregator with the entity's windows so that queueing
     * a row needs no lookup by key: its row waiting to go online, and where its latest unarchived row is.
     */
    static final class Slot {
        private FeatureRow pending;
        private long pendingSourceEventMs;
        private int archivedGeneration = -1;
        private int archivedIndex;
        private long archivedAtMs;
    }

    StreamSink(
            String name,
            FeatureView view,
            OnlineFeatureWriter online,
            OfflineStore offline,
            StreamMetrics metrics,
            Duration retryFor,
            Clock clock) {
        this.name = name;
        this.view = view;
        this.online = online;
        this.offline = offline;
        this.metrics = metrics;
        this.retryFor = retryFor;
        this.clock = clock;
    }

    /** Runs first in every pre-commit flush: the aggregator writes its changed windows to their store. */
    void beforeFlush(Runnable action) {
        this.beforeFlush = action;
    }

    /** Runs when Kafka Streams drops the task's uncommitted work: the aggregator reloads its windows. */
    void onClear(Runnable action) {
        this.onClear = action;
    }

    /**
     * Queues an entity's row; {@code sourceEventMs} is the event it answers (for freshness), -1 for a window's
     * decay. The row replaces the entity's row waiting to go online, and its unarchived row of the same time.
     */
    void put(Slot slot, FeatureRow row, long sourceEventMs) {
        if (slot.pending == null) {
            pending.add(slot);
        }
        slot.pending = row;
        slot.pendingSourceEventMs = sourceEventMs;
        long at = row.eventMs();
        if (slot.archivedGeneration == generation && slot.archivedAtMs == at) {
            unarchived.set(slot.archivedIndex, row);
        } else {
            slot.archivedGeneration = generation;
            slot.archivedIndex = unarchived.size();
            slot.archivedAtMs = at;
            unarchived.add(row);
        }
    }

    /** Appends the rows of the commit so far offline once they are this many (appending early is safe). */
    void archiveIfAtLeast(int rows) {
        if (unarchived.size() >= rows) {
            archive();
        }
    }

    private void archive() {
        if (!unarchived.isEmpty()) {
            offline.append(view, List.copyOf(unarchived));
            metrics.appendedOffline(view, unarchived.size());
            clearUnarchived();
        }
    }

    int pendingRows() {
        return pending.size();
    }

    /**
     * Sends the queued rows online and returns without waiting for Redis; first collects the batch sent before,
     * waiting for it only if Redis has not answered yet. One batch is in flight at a time, so the stream thread
     * computes the next batch while Redis applies the last (waiting for every round trip left the thread idle
     * more than half the time). On an online-store fault the failed batch's rows are queued again (unless a
     * newer row of the entity is) and the fault is thrown.
     */
    void writeOnline() {
        awaitInFlight();
        if (pending.isEmpty()) {
            return;
        }
        List<Slot> slots = new ArrayList<>(pending);
        List<FeatureRow> rows = new ArrayList<>(slots.size());
        long[] sourceEventMs = new long[slots.size()];
        for (int i = 0; i < slots.size(); i++) {
            rows.add(slots.get(i).pending);
            sourceEventMs[i] = slots.get(i).pendingSourceEventMs;
        }
        clearPending();
        OnlineFeatureWriter.Write write = online.writeAsync(view, rows);
        // Freshness is the time until Redis has the row, measured when it answers, not when the batch is collected.
        write.completion().thenRun(() -> {
            long now = clock.millis();
            for (long source : sourceEventMs) {
                if (source >= 0) {
                    metrics.freshness(view, now - source);
                }
            }
        });
        inFlight = new InFlight(slots, rows, sourceEventMs, write);
    }

    /** Collects the batch in flight, if any: counts it, or on a fault queues its rows again and throws. */
    private void awaitInFlight() {
        InFlight batch = inFlight;
        if (batch == null) {
            return;
        }
        inFlight = null;
        try {
            metrics.writtenOnline(view, batch.write().await().written());
            metrics.onlineRecovered(view);
        } catch (OnlineStoreUnavailableException e) {
            for (int i = 0; i < batch.slots().size(); i++) {
                Slot slot = batch.slots().get(i);
                if (slot.pending == null) {
                    pending.add(slot);
                    slot.pending = batch.rows().get(i);
                    slot.pendingSourceEventMs = batch.sourceEventMs()[i];
                }
            }
            throw e;
        }
    }

    /** {@link #writeOnline()} from the wall-clock punctuator: a fault is reported and retried later. */
    void tryWriteOnline() {
        try {
            writeOnline();
        } catch (OnlineStoreUnavailableException e) {
            metrics.onlineFailed(view, e);
        }
    }

    @Override
    public void flushCache() {
        beforeFlush.run();
        writeAll();
    }

    @Override
    public void flush() {
        writeAll();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, Void> listener, boolean sendOldValues) {
        return false;
    }

    /** Kafka Streams drops the task's uncommitted work: its rows are computed again when it replays. */
    @Override
    public void clearCache() {
        inFlight = null;
        clearPending();
        clearUnarchived();
        onClear.run();
    }

    private void clearPending() {
        pending.forEach(slot -> slot.pending = null);
        pending.clear();
    }

    private void clearUnarchived() {
        unarchived.clear();
        generation++;
    }

    /** Writes every queued row online and offline, waiting up to the retry bound for the online store. */
    private void writeAll() {
        long deadline = clock.millis() + retryFor.toMillis();
        while (true) {
            try {
                writeOnline();
                awaitInFlight();
                break;
            } catch (OnlineStoreUnavailableException e) {
                metrics.onlineFailed(view, e);
                if (clock.millis() >= deadline) {
                    throw new OnlineStoreUnavailableException(
                            "stream view " + view.name() + ": " + pending.size() + " rows not written online for "
                                    + retryFor + "; the task restarts from its last commit",
                            e);
                }
                sleep();
            }
        }
        archive();
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OnlineStoreUnavailableException("interrupted while waiting for the online store", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {});
        open = true;
    }

    @Override
    public void close() {
        if (!pending.isEmpty() || !unarchived.isEmpty()) {
            log.info(
                    "stream view {}: closing with {} rows not yet committed; they are replayed from the last commit",
                    view.name(),
                    pending.size() + unarchived.size());
        }
        inFlight = null;
        clearPending();
        clearUnarchived();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Builds one sink per task; it keeps nothing to restore, so it has no changelog. */
    static StoreBuilder<StreamSink> builder(
            String name,
            FeatureView view,
            OnlineFeatureWriter online,
            OfflineStore offline,
            StreamMetrics metrics,
            Duration retryFor,
            Clock clock) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<StreamSink> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<StreamSink> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<StreamSink> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("a stream sink keeps nothing to restore");
            }

            @Override
            public StoreBuilder<StreamSink> withLoggingDisabled() {
                return this;
            }

            @Override
            public StreamSink build() {
                return new StreamSink(name, view, online, offline, metrics, retryFor, clock);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
