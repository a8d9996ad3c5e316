package dev.sextant.monitoring.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Where {@link RolloutFeed} reads the logs and the labels: every partition of both topics, from a time on; how far
 * the logs are read (by record time), which holds the labels back; and whether the feed has read what the topics
 * held when it started. Used by the feed's thread only.
 */
final class ReadPositions {

    private final Map<TopicPartition, Long> lastTime = new HashMap<>();
    private final Set<TopicPartition> logs = new HashSet<>();
    private final Set<TopicPartition> labels = new HashSet<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private Map<TopicPartition, Long> starting = Map.of();
    private String logsTopic;
    private String labelsTopic;
    private long from;
    private long logsTime;

    /** Assigns every partition of both topics, each read from the first record at or after {@code from}. */
    void start(Consumer<?, ?> consumer, String logsTopic, String labelsTopic, Instant from) {
        this.logsTopic = logsTopic;
        this.labelsTopic = labelsTopic;
        this.from = from.toEpochMilli();
        this.logsTime = this.from;
        List<TopicPartition> added = refresh(consumer, from);
        starting = Map.copyOf(consumer.endOffsets(added));
    }

    /** Assigns the partitions not assigned yet (a topic created, partitions added), read from {@code from}. */
    List<TopicPartition> refresh(Consumer<?, ?> consumer, Instant from) {
        // both looked up before either is taken: a lookup that fails (Kafka down) leaves nothing half-assigned
        List<TopicPartition> newLogs = partitions(consumer, logsTopic, logs);
        List<TopicPartition> newLabels = partitions(consumer, labelsTopic, labels);
        logs.addAll(newLogs);
        labels.addAll(newLabels);
        List<TopicPartition> added = new ArrayList<>(newLogs);
        added.addAll(newLabels);
        if (added.isEmpty()) {
            return added;
        }
        List<TopicPartition> all = new ArrayList<>(logs);
        all.addAll(labels);
        consumer.assign(all);
        Map<TopicPartition, Long> times = new HashMap<>();
        added.forEach(partition -> times.put(partition, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        List<TopicPartition> atEnd = new ArrayList<>();
        for (TopicPartition partition : added) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                atEnd.add(partition); // nothing at or after the time
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        consumer.seekToEnd(atEnd);
        return added;
    }

    private static List<TopicPartition> partitions(Consumer<?, ?> consumer, String topic, Set<TopicPartition> known) {
        List<TopicPartition> added = new ArrayList<>();
        List<PartitionInfo> found = consumer.partitionsFor(topic);
        for (PartitionInfo info : found == null ? List.<PartitionInfo>of() : found) {
            TopicPartition partition = new TopicPartition(info.topic(), info.partition());
            if (!known.contains(partition)) {
                added.add(partition);
            }
        }
        return added;
    }

    void read(ConsumerRecord<?, ?> record) {
        lastTime.put(new TopicPartition(record.topic(), record.partition()), record.timestamp());
    }

    /**
     * Works out how far the logs are read, and holds back the labels partitions read past it.
     *
     * @param caughtUp the time up to which a log partition without lag is read: now, less a log's time in flight
     */
    void align(Consumer<?, ?> consumer, Instant caughtUp) {
        long time = Long.MAX_VALUE;
        for (TopicPartition partition : logs) {
            OptionalLong lag = consumer.currentLag(partition);
            long read = lag.isPresent() && lag.getAsLong() == 0
                    ? caughtUp.toEpochMilli()
                    : lastTime.getOrDefault(partition, from);
            time = Math.min(time, read);
        }
        logsTime = logs.isEmpty() ? caughtUp.toEpochMilli() : time;
        List<TopicPartition> hold = new ArrayList<>();
        List<TopicPartition> release = new ArrayList<>();
        for (TopicPartition partition : labels) {
            boolean ahead = lastTime.getOrDefault(partition, Long.MIN_VALUE) > logsTime;
            if (ahead && paused.add(partition)) {
                hold.add(partition);
            } else if (!ahead && paused.remove(partition)) {
                release.add(partition);
            }
        }
        consumer.pause(hold);
        consumer.resume(release);
    }

    /** The record time up to which every log partition is read (epoch milliseconds). */
    long logsTime() {
        return logsTime;
    }

    /** Whether every partition is read up to where it ended when the feed started. */
    boolean caughtUp(Consumer<?, ?> consumer) {
        for (Map.Entry<TopicPartition, Long> end : starting.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
