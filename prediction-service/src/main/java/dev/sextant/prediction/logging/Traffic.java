package dev.sextant.prediction.logging;

import dev.sextant.prediction.catalog.ModelCatalog;

/**
 * Who a prediction was made as, written on its log: the traffic role ({@code champion}, {@code challenger},
 * {@code shadow} or {@code explicit_version}), the rollout that assigned it, if one did, and the unit it was
 * assigned by.
 *
 * @param role the traffic role
 * @param rollout the registry's id of the rollout that assigned the request; null when none did
 * @param revision the rollout's revision that assigned it: monitoring counts a canary step's evidence on the
 *     requests its revision's weights assigned; null when no rollout did
 * @param unit the value the rollout assigned the request by (its key field's value, or the request id), which
 *     monitoring counts to check the split; null when no rollout did
 */
public record Traffic(String role, Long rollout, Integer revision, String unit) {

    public static final String SHADOW = "shadow";

    /** How a request was assigned. */
    public static Traffic of(ModelCatalog.Assigned assigned) {
        return new Traffic(assigned.role(), assigned.rollout(), assigned.revision(), assigned.unit());
    }

    /** The same request scored by the rollout's shadow. */
    public Traffic asShadow() {
        return new Traffic(SHADOW, rollout, revision, unit);
    }
}
