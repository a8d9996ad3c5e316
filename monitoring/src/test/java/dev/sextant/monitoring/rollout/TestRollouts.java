package dev.sextant.monitoring.rollout;

import dev.sextant.registry.client.rollout.Rollout;
import java.time.Instant;
import java.util.List;

/** Rollouts as the registry would describe them, with what the controller reads and nothing else set. */
final class TestRollouts {

    private TestRollouts() {}

    static Rollout rollout(
            long id,
            String model,
            String strategy,
            String state,
            int revision,
            Integer step,
            List<Rollout.Arm> arms,
            Rollout.Spec spec,
            Instant createdAt,
            Instant updatedAt,
            List<Rollout.Change> history) {
        return new Rollout(
                id,
                model,
                strategy,
                state,
                revision,
                null,
                "salt-" + id,
                arms,
                null,
                step,
                spec,
                createdAt,
                "admin",
                updatedAt,
                "admin",
                null,
                history);
    }
}
