package dev.sextant.monitoring.rollout;

import dev.sextant.registry.client.RegisteredModel;
import dev.sextant.registry.client.RegistryClient;
import dev.sextant.registry.client.rollout.Rollout;
import dev.sextant.registry.client.rollout.RolloutAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;

/**
 * The registry's rollouts, as the controller reads and acts on them through the registry's client: a model's
 * running or paused rollout, every model's, and the actions taken on one, each on the revision it was decided on
 * (the registry refuses a stale one with 409). A registry that cannot be reached is logged and read as "nothing
 * known": the controller decides nothing until it answers again.
 */
@Component
class RegistryRollouts {

    private static final Logger log = LoggerFactory.getLogger(RegistryRollouts.class);

    private final RegistryClient registry;

    RegistryRollouts(RegistryClient registry) {
        this.registry = registry;
    }

    /** The model's running or paused rollout; empty when it has none or the registry cannot say. */
    Optional<Rollout> active(String model) {
        try {
            return registry.activeRollout(model);
        } catch (RestClientException e) {
            log.warn("cannot read the rollout of {} from the registry: {}", model, e.getMessage());
            return Optional.empty();
        }
    }

    /** Every model's running or paused rollout; empty when the registry cannot say. */
    Optional<List<Rollout>> active() {
        try {
            List<Rollout> active = new ArrayList<>();
            for (RegisteredModel model : registry.models()) {
                registry.activeRollout(model.name()).ifPresent(active::add);
            }
            return Optional.of(active);
        } catch (RestClientException e) {
            log.warn("cannot list the running rollouts in the registry: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Takes the action; false when the registry refused it (the rollout changed since: 409) or cannot be reached. */
    boolean act(String model, long rollout, RolloutAction action) {
        try {
            boolean taken = registry.act(model, rollout, action);
            if (!taken) {
                log.info(
                        "{} rollout {}: {} on revision {} refused, it changed since",
                        model,
                        rollout,
                        action.action(),
                        action.revision());
            }
            return taken;
        } catch (RestClientException e) {
            log.warn("{} rollout {}: {} not taken: {}", model, rollout, action.action(), e.getMessage());
            return false;
        }
    }

    /**
     * The controller's decisions in the rollout's history, the latest first: the changes made by this client's actor
     * (monitoring's replicas all call the registry as one actor).
     */
    List<RolloutStats.Decided> decisions(Rollout rollout) {
        return rollout.history().stream()
                .filter(change -> registry.actor().equals(change.changedBy()))
                .map(change -> new RolloutStats.Decided(
                        change.changedAt(),
                        change.revision() - 1,
                        change.action(),
                        change.reason(),
                        "reweigh".equals(change.action())
                                ? change.arms().stream()
                                        .map(Rollout.Arm::weight)
                                        .toList()
                                : null))
                .toList();
    }
}
