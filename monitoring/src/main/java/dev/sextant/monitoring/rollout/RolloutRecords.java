package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.ingest.PredictionLogParser;
import dev.sextant.monitoring.performance.Label;
import dev.sextant.monitoring.performance.LabelJoin;
import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.window.PredictionLog;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the records {@link RolloutFeed} reads are to the rollouts' evidence. A log without the {@value #ROLLOUT_HEADER}
 * header is skipped unread; a rollout's log counts for its version ({@link RolloutEvidence#observe}), and its
 * prediction waits for its label in a {@link LabelJoin}, tagged with its version, rollout and revision. A label
 * joins its waiting prediction; one that none waits for is dropped once the logs are read past its record time (it
 * is no rollout's), and otherwise waits for its prediction too. What cannot be read is skipped: the main listeners
 * dead-letter it. Used by the feed's thread only.
 */
final class RolloutRecords {

    /** The header that carries a rollout's id on its logs (contracts/events/prediction-logs.v1.md). */
    static final String ROLLOUT_HEADER = "sextant-rollout-id";

    /** What a rollout's prediction was: which version, in which rollout, under which revision. */
    record Arm(String model, int version, long rollout, Integer revision) {}

    private final RolloutEvidence evidence;
    private final PredictionLogParser parser;
    private final JsonMapper json;
    private final LabelJoin<Arm> join;

    /** @param pending predictions that wait for their labels, at most; a tenth as many labels wait for theirs */
    RolloutRecords(RolloutEvidence evidence, PredictionLogParser parser, JsonMapper json, int pending) {
        this.evidence = evidence;
        this.parser = parser;
        this.json = json;
        this.join = new LabelJoin<>(pending, Math.max(1, pending / 10));
    }

    void logged(ConsumerRecord<byte[], byte[]> record) {
        if (record.headers().lastHeader(ROLLOUT_HEADER) == null) {
            return;
        }
        PredictionLog read;
        try {
            read = parser.parse(record.value());
        } catch (RuntimeException e) {
            return;
        }
        PredictionLog.Serving serving = read.serving();
        if (serving.rollout() == null) {
            return;
        }
        evidence.observe(read);
        double[] scores = read.columns().get(ReferenceProfile.SCORE);
        if (serving.shadow() || serving.failed() || scores == null) {
            return;
        }
        Arm arm = new Arm(read.model(), read.version(), serving.rollout(), serving.revision());
        for (int row = 0; row < scores.length; row++) {
            joined(join.predicted(read.rowId(row, scores.length), arm, scores[row], read.time()));
        }
    }

    /** @param logsTime the record time up to which every log partition is read (epoch milliseconds) */
    void labelled(ConsumerRecord<byte[], byte[]> record, long logsTime) {
        Label label;
        try {
            label = Label.parse(
                    json, record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return;
        }
        LabelJoin.Joined<Arm> joined = join.labelled(label.eventId(), label.outcome(), label.time());
        if (joined != null) {
            joined(joined);
        } else if (record.timestamp() > logsTime) {
            // its prediction may not be read yet: it waits (a label of no rollout is dropped once the logs pass it)
            join.await(label.eventId(), label.outcome(), label.time());
        }
    }

    private void joined(LabelJoin.Joined<Arm> joined) {
        if (joined != null) {
            Arm arm = joined.tag();
            evidence.labelled(arm.model(), arm.version(), arm.rollout(), arm.revision(), joined.labelled());
        }
    }
}
