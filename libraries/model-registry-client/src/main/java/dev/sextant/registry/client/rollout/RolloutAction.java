package dev.sextant.registry.client.rollout;

import java.util.List;
import java.util.Map;

/**
 * An action on a rollout ({@code POST /api/v1/models/{name}/rollouts/{id}/actions}): what, on which revision, why,
 * and the evidence it was decided on.
 *
 * @param action {@code pause}, {@code resume}, {@code advance}, {@code reweigh}, {@code promote}, {@code roll_back}
 *     or {@code abort}
 * @param revision the revision it was decided on: the registry refuses it once the rollout has changed since
 * @param version the version a promotion names (null: the only challenger)
 * @param weights a reweigh's new weights, champion first (null for the other actions)
 */
public record RolloutAction(
        String action,
        int revision,
        String reason,
        Integer version,
        List<Double> weights,
        Map<String, Object> evidence) {}
