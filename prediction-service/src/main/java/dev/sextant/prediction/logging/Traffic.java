package dev.sextant.prediction.logging;

/**
 * Who a prediction was made as, written on its log: the traffic role ({@code champion}, {@code challenger},
 * {@code shadow} or {@code explicit_version}) and the rollout that assigned it, if one did.
 *
 * @param role the traffic role
 * @param rollout the registry's id of the rollout that assigned the request; null when none did
 */
public record Traffic(String role, Long rollout) {

    public static final String SHADOW = "shadow";

    /** The same request scored by the rollout's shadow. */
    public Traffic asShadow() {
        return new Traffic(SHADOW, rollout);
    }
}
