package dev.sextant.monitoring.performance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Predictions' scores joined with their delayed labels by id (the label's {@code event_id} is the prediction's
 * request id, or {@code <request id>/<row>} for a row of a batch). What waits for its other half is kept in bounded
 * indexes ({@link PendingIndex}: the oldest forgotten first, about 40 bytes an entry): a prediction's score and
 * time, tagged with what it was (the owner's choice: a model version, a rollout's arm); and a label that came
 * before its prediction, when its owner asks it to wait. Not thread-safe: used under its owner's lock.
 *
 * @param <T> what a prediction is tagged with: compared by {@code equals}, a few distinct values
 */
public final class LabelJoin<T> {

    private final PendingIndex scores;
    private final PendingIndex labels;
    private final List<T> tags = new ArrayList<>();
    private final Map<T, Integer> indexes = new HashMap<>();

    /**
     * @param predictions scores that wait for their labels, at most
     * @param earlyLabels labels that wait for their predictions, at most
     */
    public LabelJoin(int predictions, int earlyLabels) {
        this.scores = new PendingIndex(predictions);
        this.labels = new PendingIndex(earlyLabels);
    }

    /** A prediction joined with its label: what it was tagged with, its score, its label and the label's delay. */
    public record Joined<T>(T tag, OnlinePerformance.Labelled labelled) {}

    /**
     * A prediction: joined at once with a label that came first, else it waits for its label; null when it waits.
     */
    public Joined<T> predicted(String id, T tag, double score, Instant time) {
        long key = PendingIndex.key(id);
        int early = labels.take(key);
        if (early >= 0) {
            return joined(tag, score, time.toEpochMilli(), labels.value(early) == 1, labels.time(early));
        }
        int index = indexes.computeIfAbsent(tag, t -> {
            tags.add(t);
            return tags.size() - 1;
        });
        scores.put(key, time.toEpochMilli(), (float) score, index);
        return null;
    }

    /** A label joined with its waiting prediction; null when none waits (the label is not kept: {@link #await}). */
    public Joined<T> labelled(String id, boolean label, Instant time) {
        int scored = scores.take(PendingIndex.key(id));
        if (scored < 0) {
            return null;
        }
        return joined(
                tags.get(scores.tag(scored)), scores.value(scored), scores.time(scored), label, time.toEpochMilli());
    }

    /**
     * Keeps a label until its prediction comes ({@link #predicted} joins them); false when it replaced a waiting
     * label of the same id.
     */
    public boolean await(String id, boolean label, Instant time) {
        return !labels.put(PendingIndex.key(id), time.toEpochMilli(), label ? 1 : 0, 0);
    }

    private static <T> Joined<T> joined(T tag, double score, long predictedAt, boolean label, long labelledAt) {
        return new Joined<>(
                tag, new OnlinePerformance.Labelled(score, label, Duration.ofMillis(labelledAt - predictedAt)));
    }
}
