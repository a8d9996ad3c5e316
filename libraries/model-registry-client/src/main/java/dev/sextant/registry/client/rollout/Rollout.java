package dev.sextant.registry.client.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A model's rollout as the registry describes it (its rollout resource, ADR 0008): which versions serve which share
 * of the model's traffic, how requests are assigned to them ({@link Assignment} of {@code salt} and the weights, by
 * the value of {@code key}), what it was asked to do, and every change so far. {@code revision} grows with every
 * change, and an action names the revision it was decided on.
 *
 * @param strategy {@code blue_green}, {@code canary}, {@code ab_test}, {@code bandit} or {@code shadow}
 * @param state {@code running}, {@code paused}, {@code promoted}, {@code rolled_back} or {@code aborted}
 * @param key the request field that assigns a request; null: the request id
 * @param arms the versions that answer requests, the champion first; weights in percent
 * @param shadow the version that scores a share of requests without answering them, or null
 * @param step a canary's current step (0-based), null for the other strategies
 * @param history every change, the newest first (read with one rollout, not in listings)
 */
public record Rollout(
        long id,
        String model,
        String strategy,
        String state,
        int revision,
        String key,
        String salt,
        List<Arm> arms,
        Shadow shadow,
        Integer step,
        Spec spec,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy,
        Instant endedAt,
        List<Change> history) {

    public Rollout {
        arms = arms == null ? List.of() : List.copyOf(arms);
        history = history == null ? List.of() : List.copyOf(history);
    }

    public boolean running() {
        return "running".equals(state);
    }

    /** The rollout's assignment of requests to its arms. */
    public Assignment assignment() {
        return Assignment.of(
                salt,
                arms.stream()
                        .map(arm -> new Assignment.Arm(arm.version(), arm.weight()))
                        .toList());
    }

    /**
     * @param role {@code champion} or {@code challenger}
     * @param weight the share of requests it answers, in percent
     */
    public record Arm(int version, String role, double weight) {}

    /** @param share the share of requests the shadow scores, in (0, 1] */
    public record Shadow(int version, double share) {}

    /** What the rollout was asked to do: a canary's steps, the guards, an A/B test's design, a bandit's policy. */
    public record Spec(List<Step> steps, Guards guards, Test test, Bandit bandit) {

        public Spec {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    /**
     * One canary step.
     *
     * @param weight the challenger's share in percent
     * @param minRequests requests the challenger answers before the step may advance
     * @param minLabels labelled outcomes of its predictions before the step may advance
     * @param maxDuration how long the step waits for its evidence before the rollout pauses for a person
     */
    public record Step(Double weight, Long minRequests, Long minLabels, Duration maxDuration) {}

    /**
     * What rolls a challenger back.
     *
     * @param maxLatencyRatio the challenger's live p99 over the champion's, at most
     * @param maxErrorRate the challenger's share of failed requests, at most
     */
    public record Guards(Double maxLatencyRatio, Double maxErrorRate, QualityGuard quality) {}

    /**
     * Model quality on delayed labels.
     *
     * @param metric {@code roc_auc}, {@code pr_auc}, {@code log_loss} or {@code calibration}
     * @param maxDegradation how much worse than the champion the challenger may be
     * @param alpha the significance level of the test that it is worse
     */
    public record QualityGuard(String metric, Double maxDegradation, Double alpha) {}

    /** An A/B test's pre-registered design. */
    public record Test(String metric, Double alpha, Double power, Double minimumDetectableEffect, Boolean sequential) {}

    /**
     * A bandit's policy.
     *
     * @param reward {@code correct_decision} or {@code log_likelihood}
     * @param explorationFloor every arm's least share
     * @param updateInterval how often the weights are recomputed
     */
    public record Bandit(String reward, Double explorationFloor, Duration updateInterval) {}

    /** One change in the rollout's history: the revision it made, what, why, by whom and when. */
    public record Change(
            int revision, String action, List<Arm> arms, String reason, Instant changedAt, String changedBy) {

        public Change {
            arms = arms == null ? List.of() : List.copyOf(arms);
        }
    }
}
