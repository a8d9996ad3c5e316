package dev.sextant.features.stream;

import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.online.RedisLayout;
import java.time.Duration;
import java.util.ArrayList;
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
 * stream time (the latest event time the task has seen) it also re-emits the rows of entities whose windows lost events by ageing (a card quiet for ten
 * minutes has a 10-minute count of 0, online and offline, not the count of its last event), and forgets
 * entities with nothing left in any window.
 *
 * <p>An event older than the view's longest window, measured from the entity's latest row, can no longer change
 * any served value and is counted as too late. A late event within it updates its bucket and the entity's row is
 * re-emitted at the row's time (never earlier).
 */
final class WindowAggregator implements Processor<String, String, Void, Void> {

    private final StreamViewPlan plan;
    private final FeatureView view;
    private final String windowsStore;
    private final String sinkStore;
    private final StreamMetrics metrics;
    private final Duration onlineFlushInterval;
    private final int maxPendingRows;

    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, WindowState> windows;
    private StreamSink sink;
    private long sweptMinute = Long.MIN_VALUE;
    /** The latest event time this task has seen (not Kafka's record timestamps, which are producer clocks). */
    private long streamTime = Long.MIN_VALUE;

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
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.windows = context.getStateStore(windowsStore);
        this.sink = context.getStateStore(sinkStore);
        context.schedule(onlineFlushInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            sweep(streamTime);
            sink.tryWriteOnline();
        });
    }

    @Override
    public void process(Record<String, String> record) {
        StreamViewPlan.Event event;
        try {
            event = plan.parse(record.value());
        } catch (StreamViewPlan.RejectedEvent rejected) {
            metrics.rejected(view, rejected.reason, rejected.getMessage(), where());
            return;
        }
        String key = event.entityKey();
        WindowState state = windows.get(key);
        if (state == null) {
            state = new WindowState(plan.fieldCount());
        }
        long rowTime = Math.max(event.timeMs(), state.rowTimeMs());
        long firstMinute = WindowState.minute(rowTime) - plan.longestWindowMinutes() + 1;
        if (WindowState.minute(event.timeMs()) < firstMinute) {
            metrics.tooLate(view);
            return;
        }
        streamTime = Math.max(streamTime, event.timeMs());
        state.add(event.timeMs(), event.values());
        state.dropBefore(firstMinute);
        state.rowEmittedAt(rowTime);
        windows.put(key, state);
        sink.put(key, plan.row(event.keyValues(), state, rowTime), event.timeMs());
        metrics.used(view);
        if (sink.pendingRows() >= maxPendingRows) {
            sink.tryWriteOnline();
        }
        sink.archiveIfAtLeast(maxPendingRows);
    }

    /** Re-emits the rows whose windows changed by ageing up to this minute of stream time. */
    private void sweep(long streamTime) {
        long minute = WindowState.minute(streamTime);
        if (streamTime == Long.MIN_VALUE || minute <= sweptMinute) {
            return;
        }
        sweptMinute = minute;
        long at = minute * WindowState.MINUTE_MS;
        List<KeyValue<String, WindowState>> changed = new ArrayList<>();
        try (KeyValueIterator<String, WindowState> all = windows.all()) {
            while (all.hasNext()) {
                KeyValue<String, WindowState> entry = all.next();
                WindowState state = entry.value;
                if (state.rowTimeMs() < at) {
                    Map<String, Object> before = plan.values(state, state.rowTimeMs());
                    state.dropBefore(minute - plan.longestWindowMinutes() + 1);
                    if (!before.equals(plan.values(state, at))) {
                        state.rowEmittedAt(at);
                        sink.put(entry.key, plan.row(RedisLayout.keyValues(view, entry.key), state, at), -1);
                        changed.add(entry);
                    } else if (state.isEmpty()) {
                        changed.add(KeyValue.pair(entry.key, null));
                    }
                }
            }
        }
        for (KeyValue<String, WindowState> entry : changed) {
            if (entry.value == null || entry.value.isEmpty()) {
                windows.delete(entry.key);
            } else {
                windows.put(entry.key, entry.value);
            }
        }
    }

    private String where() {
        return context.recordMetadata()
                .map(metadata -> metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset())
                .orElse("(unknown offset)");
    }
}
