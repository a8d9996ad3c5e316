package dev.sextant.registry.rollout;

import dev.sextant.registry.api.ApiException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * What an action does to a rollout, as a pure function: the state, arms, shadow and step it leads to, and the
 * version it promotes. People pause, resume, promote and abort; monitoring's controller advances a canary, reweighs
 * a bandit, promotes a winner and rolls back a loser. Every action names the revision it was decided on, so an
 * action on a rollout that changed since is refused (409) rather than applied to what its author did not see.
 */
final class RolloutActions {

    static final Set<String> ACTIONS = Set.of("pause", "resume", "advance", "reweigh", "promote", "roll_back", "abort");

    /**
     * The body of {@code POST /api/v1/models/{name}/rollouts/{id}/actions}.
     *
     * @param version the version to promote (a challenger or the shadow), when the rollout has more than one
     * @param weights a bandit's new weights in percent, champion first
     * @param evidence what the action was decided on (any JSON object), kept in the rollout's history
     */
    record Action(
            String action, Integer revision, String reason, Integer version, List<Double> weights, JsonNode evidence) {}

    /** Where an action leads: {@code promoted} is the version that takes {@code champion}, if any. */
    record Transition(
            Rollout.State state, List<Rollout.Arm> arms, Rollout.ShadowArm shadow, Integer step, Integer promoted) {}

    private RolloutActions() {}

    static Transition apply(Rollout rollout, Action action) {
        if (action == null || action.action() == null || !ACTIONS.contains(action.action())) {
            throw ApiException.badRequest("action must be one of " + new TreeSet<>(ACTIONS) + ", got '"
                    + (action == null ? null : action.action()) + "'");
        }
        if (action.revision() == null) {
            throw ApiException.badRequest("revision is required: the rollout's revision the action was decided on");
        }
        if (action.reason() != null && action.reason().length() > 1000) {
            throw ApiException.badRequest("reason must be at most 1000 characters");
        }
        if (action.evidence() != null && !action.evidence().isObject()) {
            throw ApiException.badRequest("evidence must be a JSON object");
        }
        if (!rollout.state().active()) {
            throw ApiException.conflict(
                    "rollout " + rollout.id() + " has ended (" + rollout.state().json() + "): start a new rollout");
        }
        if (action.revision() != rollout.revision()) {
            throw ApiException.conflict("rollout " + rollout.id() + " is at revision " + rollout.revision()
                    + ", the action was decided on revision " + action.revision() + ": read it again");
        }
        return switch (action.action()) {
            case "pause" -> pause(rollout);
            case "resume" -> resume(rollout);
            case "advance" -> advance(rollout);
            case "reweigh" -> reweigh(rollout, action.weights());
            case "promote" -> ended(rollout, Rollout.State.PROMOTED, promoted(rollout, action.version()));
            default ->
                ended(
                        rollout,
                        "abort".equals(action.action()) ? Rollout.State.ABORTED : Rollout.State.ROLLED_BACK,
                        rollout.champion());
        };
    }

    private static Transition pause(Rollout rollout) {
        if (rollout.state() != Rollout.State.RUNNING) {
            throw ApiException.conflict("rollout " + rollout.id() + " is already paused");
        }
        return new Transition(Rollout.State.PAUSED, rollout.arms(), rollout.shadow(), rollout.step(), null);
    }

    private static Transition resume(Rollout rollout) {
        if (rollout.state() != Rollout.State.PAUSED) {
            throw ApiException.conflict("rollout " + rollout.id() + " is running, not paused");
        }
        return new Transition(Rollout.State.RUNNING, rollout.arms(), rollout.shadow(), rollout.step(), null);
    }

    /** A canary's next step, or its promotion after the last. */
    private static Transition advance(Rollout rollout) {
        strategy(rollout, "advance", "canary");
        running(rollout, "advance");
        List<RolloutSpec.Step> steps = rollout.spec().steps();
        int next = rollout.step() + 1;
        if (next == steps.size()) {
            return ended(rollout, Rollout.State.PROMOTED, rollout.arms().get(1).version());
        }
        RolloutSpec.Step step = steps.get(next);
        return new Transition(
                Rollout.State.RUNNING,
                List.of(
                        RolloutPlans.champion(rollout.champion(), 100 - step.weight()),
                        RolloutPlans.challenger(rollout.arms().get(1).version(), step.weight())),
                RolloutPlans.shadowArm(rollout.spec().shadow(), step.shadowShare()),
                next,
                null);
    }

    private static Transition reweigh(Rollout rollout, List<Double> weights) {
        strategy(rollout, "reweigh", "bandit");
        running(rollout, "reweigh");
        if (weights == null) {
            throw ApiException.badRequest("weights are required to reweigh: one per arm, champion first");
        }
        RolloutFields.checkWeights(
                "weights",
                weights,
                rollout.arms().size(),
                100 * rollout.spec().bandit().explorationFloor());
        List<Integer> challengers = rollout.arms().subList(1, rollout.arms().size()).stream()
                .map(Rollout.Arm::version)
                .toList();
        return new Transition(
                Rollout.State.RUNNING,
                RolloutPlans.arms(rollout.champion(), challengers, weights),
                rollout.shadow(),
                null,
                null);
    }

    private static int promoted(Rollout rollout, Integer version) {
        List<Rollout.Arm> challengers = rollout.arms().subList(1, rollout.arms().size());
        if (version == null) {
            if (challengers.size() == 1) {
                return challengers.get(0).version();
            }
            if (challengers.isEmpty() && rollout.shadow() != null) {
                return rollout.shadow().version();
            }
            throw ApiException.badRequest(
                    "version is required: rollout " + rollout.id() + " has " + challengers.size() + " challengers");
        }
        boolean candidate = challengers.stream().anyMatch(arm -> arm.version() == version)
                || (rollout.shadow() != null && rollout.shadow().version() == version);
        if (!candidate) {
            throw ApiException.unprocessable(
                    "version " + version + " is neither a challenger nor the shadow of" + " rollout " + rollout.id());
        }
        return version;
    }

    /** An ended rollout: all traffic to the version that holds {@code champion} from now on. */
    private static Transition ended(Rollout rollout, Rollout.State state, int champion) {
        return new Transition(
                state,
                List.of(RolloutPlans.champion(champion, 100)),
                null,
                rollout.step(),
                state == Rollout.State.PROMOTED ? champion : null);
    }

    private static void strategy(Rollout rollout, String action, String strategy) {
        if (!strategy.equals(rollout.strategy())) {
            throw ApiException.unprocessable(action + " applies to " + strategy + " rollouts; rollout " + rollout.id()
                    + " is " + rollout.strategy());
        }
    }

    private static void running(Rollout rollout, String action) {
        if (rollout.state() != Rollout.State.RUNNING) {
            throw ApiException.conflict("rollout " + rollout.id() + " is paused: resume it before it can " + action);
        }
    }
}
