package dev.sextant.monitoring.ingest;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.alerting.DriftAlerts;
import dev.sextant.monitoring.deadletter.DeadLetters;
import dev.sextant.monitoring.drift.DriftEvaluator;
import dev.sextant.monitoring.drift.DriftReport;
import dev.sextant.monitoring.drift.DriftReports;
import dev.sextant.monitoring.performance.OnlinePerformance;
import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.reference.ReferenceProfiles;
import dev.sextant.monitoring.skew.SkewTracker;
import dev.sextant.monitoring.window.PredictionLog;
import dev.sextant.monitoring.window.WindowAggregator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes {@code prediction-logs.v1} into the windows and the label join; a rollout's shadow scorings and failed
 * requests are its evidence only, which {@code RolloutFeed} reads on its own. A record monitoring cannot read, or cannot process for
 * any other reason, goes to the dead-letter topic with the reason in a header, and consumption goes on: a bad
 * message never stalls the consumer ({@code PoisonRecordsIT}). A closed
 * window is judged against its version's reference and stored.
 *
 * <p>Offsets are committed by this listener after each batch, not by the container: per partition, the first offset
 * of the oldest open window, with the window marks of {@link WindowAggregator} as the commit's metadata. A restart
 * (or a rebalance) reads the open windows' records again and skips those already judged, so nothing is lost and
 * nothing is counted twice.
 */
@Component
class PredictionLogsListener implements ConsumerSeekAware {

    /** The broker's default {@code offset.metadata.max.bytes} is 4096. */
    private static final int MAX_METADATA = 4000;

    private static final TypeReference<Map<String, Long>> MARKS = new TypeReference<>() {};

    private static final Logger log = LoggerFactory.getLogger(PredictionLogsListener.class);

    private final PredictionLogParser parser;
    private final WindowAggregator windows;
    private final OnlinePerformance performance;
    private final SkewTracker skew;
    private final DeadLetters deadLetters;
    private final String deadLetterTopic;
    private final JsonMapper json;
    private final Counter accepted;
    private final Counter deadLettered;
    /**
     * Per partition read since its assignment: the offset after its last record read. Each consumer thread has its
     * own partitions, so they share these maps but never a key.
     */
    private final Map<Integer, Long> next = new ConcurrentHashMap<>();

    private final Set<Integer> restored = ConcurrentHashMap.newKeySet();

    PredictionLogsListener(
            JsonMapper json,
            ReferenceProfiles references,
            WindowAggregator windows,
            DriftEvaluator evaluator,
            DriftReports reports,
            DriftAlerts alerts,
            OnlinePerformance performance,
            SkewTracker skew,
            DeadLetters deadLetters,
            MonitoringProperties.Topics topics,
            MeterRegistry meters) {
        this.parser = new PredictionLogParser(json, references::of);
        this.windows = windows;
        this.performance = performance;
        this.skew = skew;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = topics.deadLetter();
        this.json = json;
        this.accepted = meters.counter("sextant.monitoring.logs", "outcome", "accepted");
        this.deadLettered = meters.counter("sextant.monitoring.logs", "outcome", "dead_lettered");
        windows.onClose(window -> {
            DriftReport report = references
                    .of(window.model(), window.version())
                    .map(reference -> evaluator.evaluate(window, reference))
                    .orElseGet(() -> evaluator.evaluate(window, new ReferenceProfile(List.of(), Map.of())));
            reports.add(report);
            alerts.judged(report);
            if (report.status() == DriftReport.Severity.ALERT || report.status() == DriftReport.Severity.WARN) {
                log.info(
                        "drift {} for {} v{} in window {} - {}",
                        report.status(),
                        report.model(),
                        report.version(),
                        report.windowStart(),
                        report.windowEnd());
            }
        });
    }

    /** Scores wait for their labels: by request id, or {@code <request id>/<row>} for a batch. */
    private void remember(PredictionLog parsed) {
        double[] scores = parsed.columns().get(ReferenceProfile.SCORE);
        if (scores == null) {
            return;
        }
        for (int row = 0; row < scores.length; row++) {
            String id = parsed.rowId(row, scores.length);
            performance.predicted(id, parsed.model(), parsed.version(), scores[row], parsed.time());
        }
    }

    @KafkaListener(
            id = "prediction-logs",
            topics = "${sextant.monitoring.logs-topic}",
            groupId = "${spring.kafka.consumer.group-id}",
            concurrency = "${sextant.monitoring.consumers}",
            batch = "true",
            // Eager rebalancing: every partition is revoked before any is assigned, so forgetting the open windows
            // on revocation and reading again from the committed offsets is exact.
            properties = {
                "partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor",
                // The parser reads the bytes: no String decoded per record.
                "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"
            })
    void consume(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (ConsumerRecord<String, byte[]> record : records) {
            restore(consumer, record);
            next.put(record.partition(), record.offset() + 1);
            try {
                PredictionLog parsed = parser.parse(record.value());
                if (parsed.serving().shadow() || parsed.serving().failed()) {
                    // a shadow answered no one, a failed request has no prediction: evidence of their rollout only
                    // (RolloutFeed reads it)
                    accepted.increment();
                    continue;
                }
                remember(parsed);
                if (windows.accept(parsed, record.partition(), record.offset())) {
                    skew.served(parsed);
                    accepted.increment();
                }
            } catch (PredictionLogParser.MalformedLogException e) {
                deadLetter(record, e.getMessage());
            } catch (RuntimeException e) {
                // a record that fails the windows, the scores or the skew check in a way the parser did not foresee
                // is still one record: it must not stop the partition
                log.error(
                        "prediction log at {}-{}@{} could not be processed",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e);
                deadLetter(record, "could not be processed: " + e);
            }
        }
        windows.closeIdle();
        commit(consumer);
    }

    /** Closes idle windows when no records arrive at all (published on the consumer thread). */
    @EventListener(condition = "event.listenerId.startsWith('prediction-logs')")
    void idle(ListenerContainerIdleEvent event) {
        windows.closeIdle();
        commit(event.getConsumer());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            windows.forget(partition.partition());
            next.remove(partition.partition());
            restored.remove(partition.partition());
        }
    }

    /** The first time a partition is read since its assignment, the marks committed with its offset are taken. */
    private void restore(Consumer<?, ?> consumer, ConsumerRecord<?, ?> record) {
        if (!restored.add(record.partition())) {
            return;
        }
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
        if (committed == null
                || committed.metadata() == null
                || committed.metadata().isEmpty()) {
            return;
        }
        try {
            Map<String, Long> marks = json.readValue(committed.metadata(), MARKS);
            windows.restore(record.partition(), marks);
        } catch (JacksonException e) {
            log.warn("ignoring unreadable window marks committed on {}: {}", partition, e.getOriginalMessage());
        }
    }

    /**
     * Commits, per partition read, the offset before which every record is judged (the oldest open window's first
     * record), with the marks of the windows judged after it.
     */
    private void commit(Consumer<?, ?> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition assigned : consumer.assignment()) {
            int partition = assigned.partition();
            Long offset = next.get(partition);
            if (offset == null) {
                continue;
            }
            long resume = windows.resumeOffset(partition, offset);
            String marks = json.writeValueAsString(windows.closedThrough(partition, resume));
            if (marks.length() > MAX_METADATA) {
                log.warn("window marks of partition {} exceed {} characters; not stored", partition, MAX_METADATA);
                marks = "";
            }
            offsets.put(assigned, new OffsetAndMetadata(resume, marks));
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason)
            throws InterruptedException, ExecutionException, TimeoutException {
        deadLetters.send(deadLetterTopic, "monitoring prediction-logs", record, reason);
        deadLettered.increment();
    }
}
