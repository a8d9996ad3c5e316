package dev.sextant.prediction.catalog;

import dev.sextant.registry.client.rollout.Assignment;
import dev.sextant.registry.client.rollout.Rollout;
import dev.sextant.registry.client.rollout.ShadowSample;
import java.util.HashMap;
import java.util.Map;

/**
 * How a model's requests are shared between its versions while a rollout runs: the registry's rollout, with its
 * {@link Assignment} built once per revision. A request's version is a pure function of its key's value, the
 * rollout's salt and its weights (ADR 0008), so every replica of the service sends a key to the same version; so is
 * whether the shadow scores it ({@link ShadowSample}).
 *
 * @param rollout the rollout's id in the registry
 * @param revision its revision, which changes with every weight, step or state change
 * @param key the request field whose value assigns a request; null: the request id
 * @param roles each armed version's role: {@code champion} or {@code challenger}
 * @param shadow the version that scores a share of requests without answering them; null when none
 */
public record Routing(
        long rollout, int revision, String key, Assignment assignment, Map<Integer, String> roles, Shadow shadow) {

    /** A rollout's shadow: its version and which keys it scores. */
    public record Shadow(int version, ShadowSample sample) {}

    static Routing of(Rollout rollout) {
        Map<Integer, String> roles = new HashMap<>();
        for (Rollout.Arm arm : rollout.arms()) {
            roles.put(arm.version(), arm.role());
        }
        Rollout.Shadow shadow = rollout.shadow();
        return new Routing(
                rollout.id(),
                rollout.revision(),
                rollout.key(),
                rollout.assignment(),
                Map.copyOf(roles),
                shadow == null || roles.containsKey(shadow.version())
                        ? null
                        : new Shadow(shadow.version(), ShadowSample.of(rollout.salt(), shadow.share())));
    }

    /** The version that answers the request whose key has this value. */
    int version(String keyValue) {
        return assignment.version(keyValue);
    }

    String role(int version) {
        return roles.getOrDefault(version, ModelCatalog.DEFAULT_ALIAS);
    }

    /** The shadow version that scores the request whose key has this value, or null when none does. */
    Integer shadowing(String keyValue) {
        return shadow != null && shadow.sample().scores(keyValue) ? shadow.version() : null;
    }
}
