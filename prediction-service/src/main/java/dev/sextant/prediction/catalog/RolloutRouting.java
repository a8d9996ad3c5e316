package dev.sextant.prediction.catalog;

import dev.sextant.registry.client.RegistryClient;
import dev.sextant.registry.client.rollout.Rollout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog's view of a model's running rollout: the registry's rollout turned into the {@link Routing} requests
 * are assigned by, applied only once every version it names is ready. Used under the catalog's reconciliation lock.
 */
final class RolloutRouting {

    private static final Logger log = LoggerFactory.getLogger(RolloutRouting.class);

    private final RegistryClient registry;
    /** The catalog's last failure per model, where a rollout that cannot assign is reported. */
    private final Map<String, String> failures;

    RolloutRouting(RegistryClient registry, Map<String, String> failures) {
        this.registry = registry;
        this.failures = failures;
    }

    /**
     * The routing of the model's running rollout, once every version it arms and its shadow are loaded and warmed;
     * until then the routing it had (the same rollout's earlier revision) or none, so no request reaches a version
     * that is not ready. Adds the armed versions and the shadow to {@code versions}.
     */
    Routing next(
            String name,
            ModelCatalog.Served current,
            Function<Integer, Optional<LoadedModel>> ready,
            Map<Integer, LoadedModel> versions) {
        Optional<Rollout> rollout = registry.activeRollout(name);
        Routing previous = current == null ? null : current.routing();
        if (rollout.isEmpty()) {
            return null;
        }
        List<Integer> wanted = new ArrayList<>();
        rollout.get().arms().forEach(arm -> wanted.add(arm.version()));
        if (rollout.get().shadow() != null) {
            wanted.add(rollout.get().shadow().version());
        }
        Map<Integer, LoadedModel> armed = new HashMap<>();
        for (int version : wanted) {
            ready.apply(version).ifPresent(model -> armed.put(version, model));
        }
        // kept either way: a loaded version is either served or released, and the next revision finds it ready
        versions.putAll(armed);
        Routing next = null;
        if (armed.size() == new HashSet<>(wanted).size()) {
            try {
                next = Routing.of(rollout.get());
            } catch (IllegalArgumentException e) {
                failures.put(name, "rollout " + rollout.get().id() + " cannot assign requests: " + e.getMessage());
            }
        }
        if (next == null) {
            if (previous == null || previous.rollout() != rollout.get().id()) {
                return null;
            }
            log.warn(
                    "{}: rollout {} revision {} not applied; revision {} keeps serving",
                    name,
                    rollout.get().id(),
                    rollout.get().revision(),
                    previous.revision());
            previous.roles()
                    .keySet()
                    .forEach(version -> versions.put(version, current.versions().get(version)));
            if (previous.shadow() != null) {
                versions.put(
                        previous.shadow().version(),
                        current.versions().get(previous.shadow().version()));
            }
            return previous;
        }
        if (previous == null || previous.revision() != next.revision() || previous.rollout() != next.rollout()) {
            log.info(
                    "{}: rollout {} revision {} serves {}, shadow {}",
                    name,
                    next.rollout(),
                    next.revision(),
                    rollout.get().arms(),
                    rollout.get().shadow());
        }
        return next;
    }
}
