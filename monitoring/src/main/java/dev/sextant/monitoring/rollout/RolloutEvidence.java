package dev.sextant.monitoring.rollout;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.performance.OnlinePerformance;
import dev.sextant.monitoring.window.PredictionLog;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The live evidence of the rollouts seen in {@code prediction-logs.v1} (ADR 0008: monitoring holds it), by model:
 * a log that carries a {@code rollout_id} counts for its version in that rollout ({@link RolloutStats}), the
 * {@value #ROLLOUTS_PER_MODEL} most recent rollouts of each model are kept, for at most {@value #MODELS} models. It
 * lives in memory, fed by {@link RolloutFeed}, which after a restart reads the running rollouts' logs and labels
 * again from their start: the evidence is the same as before the restart, and the controller waits until it is.
 */
@Component
public class RolloutEvidence {

    static final int ROLLOUTS_PER_MODEL = 5;

    /** Answers and shadow scorings waiting for their other half, per rollout at most. */
    static final int PENDING_PAIRS = 10_000;

    /** Models whose rollouts are kept at most: the model names come from Kafka records. */
    static final int MODELS = 1_000;

    private final double threshold;
    /** Beyond the bound, the cache forgets the models seen least (Caffeine: by frequency and recency). */
    private final Map<String, Deque<RolloutStats>> byModel = Caffeine.newBuilder()
            .maximumSize(MODELS)
            .executor(Runnable::run)
            .<String, Deque<RolloutStats>>build()
            .asMap();

    /** Whether the feed is still reading the running rollouts' logs and labels again after a (re)start. */
    private volatile boolean catchingUp = true;

    RolloutEvidence(MonitoringProperties.Performance performance) {
        this.threshold = performance.threshold();
    }

    /**
     * A prediction joined with its label: counts for its version's quality in the rollout that assigned it, under
     * the revision that did.
     */
    void labelled(String model, int version, long rollout, Integer revision, OnlinePerformance.Labelled labelled) {
        find(model, rollout).ifPresent(stats -> stats.labelled(version, revision, labelled));
    }

    /** The feed has read every running rollout's logs and labels up to now: the evidence is whole. */
    void caughtUp() {
        catchingUp = false;
    }

    /** True until the feed has read the running rollouts' logs and labels again after a (re)start. */
    public boolean catchingUp() {
        return catchingUp;
    }

    /** Counts a prediction log for its rollout; nothing when no rollout assigned or shadowed it. */
    void observe(PredictionLog log) {
        Long rollout = log.serving().rollout();
        if (rollout == null) {
            return;
        }
        stats(log, rollout).observe(log);
    }

    private RolloutStats stats(PredictionLog log, long rollout) {
        Deque<RolloutStats> rollouts = byModel.computeIfAbsent(log.model(), model -> new ArrayDeque<>());
        synchronized (rollouts) {
            RolloutStats known = in(rollouts, rollout);
            if (known != null) {
                return known;
            }
            RolloutStats stats = new RolloutStats(log.model(), rollout, log.time(), threshold, PENDING_PAIRS);
            rollouts.addFirst(stats);
            while (rollouts.size() > ROLLOUTS_PER_MODEL) {
                rollouts.removeLast();
            }
            return stats;
        }
    }

    /** The models whose logs carried a rollout. */
    public Set<String> models() {
        return Set.copyOf(byModel.keySet());
    }

    /** One rollout's evidence, if its logs were seen. */
    Optional<RolloutStats.View> view(String model, long rollout) {
        return find(model, rollout).map(RolloutStats::view);
    }

    /** The controller's earlier decisions on the rollout, from the registry, when its evidence has none. */
    void recall(String model, long rollout, List<RolloutStats.Decided> earlier) {
        find(model, rollout).ifPresent(stats -> stats.recall(earlier));
    }

    /** The controller's latest analysis of the rollout, shown with its evidence. */
    void analysed(String model, long rollout, Object analysis) {
        find(model, rollout).ifPresent(stats -> stats.analysed(analysis));
    }

    /** A decision the controller took on the rollout, kept with its evidence. */
    void decided(String model, long rollout, int revision, Decision decision, Instant at) {
        find(model, rollout).ifPresent(stats -> stats.decided(revision, decision, at));
    }

    private Optional<RolloutStats> find(String model, long rollout) {
        Deque<RolloutStats> rollouts = byModel.get(model);
        if (rollouts == null) {
            return Optional.empty();
        }
        synchronized (rollouts) {
            return Optional.ofNullable(in(rollouts, rollout));
        }
    }

    /** The rollout among a model's, or null; the caller holds their lock. */
    private static RolloutStats in(Deque<RolloutStats> rollouts, long rollout) {
        for (RolloutStats stats : rollouts) {
            if (stats.rollout() == rollout) {
                return stats;
            }
        }
        return null;
    }

    /** The model's rollouts seen, the most recently started first. */
    public List<RolloutStats.View> of(String model) {
        Deque<RolloutStats> rollouts = byModel.get(model);
        if (rollouts == null) {
            return List.of();
        }
        List<RolloutStats> copy;
        synchronized (rollouts) {
            copy = List.copyOf(rollouts);
        }
        return copy.stream().map(RolloutStats::view).toList();
    }
}
