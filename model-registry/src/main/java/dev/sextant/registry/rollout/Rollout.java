package dev.sextant.registry.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A rollout as the API answers it and as {@code ROLLOUT_*} events carry it: which versions serve which share of a
 * model's traffic now, how requests are assigned, and where the rollout stands. {@code revision} grows with every
 * change; a change names the revision it was decided on.
 *
 * @param arms the versions that answer requests, the champion first; weights in percent, summing to 100
 * @param shadow the version that scores a share of requests without answering them, if any
 * @param step a canary's current step (0-based), absent for the other strategies
 * @param salt the rollout's own salt: with {@code key} and the weights it assigns every request (the registry
 *     client's {@code Assignment})
 * @param spec what the rollout was asked to do (absent in events)
 * @param history every change, newest first (only when one rollout is asked for)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Rollout(
        long id,
        String model,
        String strategy,
        State state,
        int revision,
        String key,
        String salt,
        List<Arm> arms,
        ShadowArm shadow,
        Integer step,
        RolloutSpec spec,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy,
        Instant endedAt,
        List<Change> history) {

    /** Where a rollout stands: running and paused rollouts hold traffic; the others have ended. */
    enum State {
        RUNNING,
        PAUSED,
        PROMOTED,
        ROLLED_BACK,
        ABORTED;

        @JsonValue
        String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean active() {
            return this == RUNNING || this == PAUSED;
        }
    }

    /** @param role {@code champion} or {@code challenger} */
    record Arm(int version, String role, double weight) {}

    record ShadowArm(int version, double share) {}

    /** One change of a rollout: what was done, by whom, why, and the evidence it was decided on. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Change(
            int revision,
            String action,
            State state,
            List<Arm> arms,
            ShadowArm shadow,
            Integer step,
            String reason,
            Object evidence,
            Instant changedAt,
            String changedBy) {}

    int champion() {
        return arms.get(0).version();
    }

    Rollout withHistory(List<Change> changes) {
        return new Rollout(
                id, model, strategy, state, revision, key, salt, arms, shadow, step, spec, createdAt, createdBy,
                updatedAt, updatedBy, endedAt, changes);
    }

    /** The rollout as events carry it: what serves, without the spec and the history. */
    Rollout announced() {
        return new Rollout(
                id, model, strategy, state, revision, key, salt, arms, shadow, step, null, createdAt, createdBy,
                updatedAt, updatedBy, endedAt, null);
    }
}
