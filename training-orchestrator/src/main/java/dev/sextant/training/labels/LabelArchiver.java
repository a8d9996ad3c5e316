package dev.sextant.training.labels;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes {@code labels.v1} into the offline archive. A batch is acknowledged only after its Parquet files are
 * on disk, so a crash or a full disk redelivers it and no accepted label is lost; a redelivered batch rewrites
 * its own files, and readers keep one label per event. A record that is not a label, or cannot be archived for
 * a reason of its own, goes to {@code labels.v1.dead-letter} with the reason and is counted
 * ({@code outcome="rejected"}); the batch goes on ({@code LabelArchiverPoisonIT}). Only a fault outside the
 * records (the disk, Kafka) fails the batch, which is then retried.
 */
@Component
@ConditionalOnProperty(name = "sextant.training.labels.enabled", havingValue = "true", matchIfMissing = true)
class LabelArchiver {

    private static final Logger log = LoggerFactory.getLogger(LabelArchiver.class);

    private final LabelArchive archive;
    private final JsonMapper json;
    private final Counter archived;
    private final Counter rejected;
    private final DeadLetterPublishingRecoverer deadLetters;

    LabelArchiver(
            LabelArchive archive, JsonMapper json, MeterRegistry meters, DeadLetterPublishingRecoverer deadLetters) {
        this.archive = archive;
        this.json = json;
        this.deadLetters = deadLetters;
        this.rejected = Counter.builder("sextant.training.labels")
                .description("labels.v1 records consumed, by outcome")
                .tag("outcome", "rejected")
                .register(meters);
        this.archived = Counter.builder("sextant.training.labels")
                .description("labels.v1 records consumed, by outcome")
                .tag("outcome", "archived")
                .register(meters);
    }

    @KafkaListener(
            id = "labels-archiver",
            topics = "${sextant.training.labels.topic}",
            groupId = "training-orchestrator-labels",
            batch = "true",
            // An archive wants few, large files: a poll waits up to 5 s for a megabyte of labels, so a burst (a
            // backfill, a day's chargebacks) is written in batches of up to max-poll-records, not in the
            // hundred-record batches a consumer that keeps up with its producer would get, and a trickle (the
            // demo's 25 labels a second) in a file per partition every 5 s, not every half second. A label reaches
            // the archive at most that much later.
            properties = {"fetch.min.bytes=1048576", "fetch.max.wait.ms=5000"})
    void archive(List<ConsumerRecord<String, String>> records, Acknowledgment acknowledgment) {
        Map<Integer, List<LabelArchive.Archived>> byPartition = new LinkedHashMap<>();
        Map<Integer, Long> firstOffsets = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            firstOffsets.putIfAbsent(record.partition(), record.offset());
            try {
                LabelEvent label = LabelEvent.parse(record.value(), json);
                byPartition
                        .computeIfAbsent(record.partition(), p -> new ArrayList<>())
                        .add(new LabelArchive.Archived(label, record.partition(), record.offset()));
            } catch (LabelEvent.InvalidLabelException e) {
                reject(record, e);
            } catch (RuntimeException e) {
                log.error(
                        "label at {}-{}@{} could not be read", record.topic(), record.partition(), record.offset(), e);
                reject(record, new IllegalArgumentException("could not be read: " + e, e));
            }
        }
        for (var entry : byPartition.entrySet()) {
            archive.write(entry.getKey(), firstOffsets.get(entry.getKey()), entry.getValue());
            archived.increment(entry.getValue().size());
        }
        acknowledgment.acknowledge();
    }

    private void reject(ConsumerRecord<String, String> record, RuntimeException e) {
        deadLetters.accept(record, e);
        rejected.increment();
        log.warn(
                "label at {}-{} offset {} dead-lettered: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                e.getMessage());
    }
}
