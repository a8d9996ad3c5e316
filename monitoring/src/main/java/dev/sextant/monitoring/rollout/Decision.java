package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.MonitoringProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the controller does with a running rollout, decided on its evidence as a pure function: a failed guard rolls
 * a canary or a blue-green switch back; a canary step whose challenger has answered {@code min_requests} requests and
 * has {@code min_labels} labelled predictions since the step began advances (the registry promotes after the last
 * step); a step still short of that after {@code max_duration} pauses the rollout for a person; otherwise it waits.
 *
 * @param action the registry action: {@code roll_back}, {@code advance} or {@code pause}
 * @param reason why, in words, with the figures
 * @param evidence what it was decided on, kept in the rollout's history
 */
record Decision(String action, String reason, Map<String, Object> evidence) {

    /** Where the current step began: the rollout's revision, and its challenger's counts then. */
    record StepStart(int revision, Instant at, long requests, long labels) {

        static StepStart of(RegistryRollouts.Active rollout, RolloutStats.View evidence, Instant now) {
            Instant at = rollout.updatedAt() == null ? now : rollout.updatedAt();
            RolloutStats.VersionView challenger = role(evidence, rollout, "challenger");
            if (challenger == null) {
                return new StepStart(rollout.revision(), at, 0, 0);
            }
            return new StepStart(rollout.revision(), at, challenger.requests(), Decision.labels(challenger));
        }
    }

    static Optional<Decision> decide(
            RegistryRollouts.Active rollout,
            RolloutStats.View evidence,
            StepStart start,
            Instant now,
            MonitoringProperties.Rollouts settings) {
        if (!rollout.running() || rollout.spec() == null) {
            return Optional.empty();
        }
        RolloutStats.VersionView champion = role(evidence, rollout, "champion");
        RolloutStats.VersionView challenger = role(evidence, rollout, "challenger");
        Guards.Verdict verdict = Guards.judge(rollout.spec().guards(), champion, challenger, settings);
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("champion", champion);
        seen.put("challenger", challenger);
        seen.put("guards", verdict.measured());
        if (verdict.failure().isPresent()) {
            return Optional.of(new Decision("roll_back", verdict.failure().get(), seen));
        }
        if (!"canary".equals(rollout.strategy()) || rollout.step() == null) {
            return Optional.empty();
        }
        List<RegistryRollouts.Step> steps = rollout.spec().steps();
        if (rollout.step() >= steps.size()) {
            return Optional.empty();
        }
        RegistryRollouts.Step step = steps.get(rollout.step());
        long requests = challenger == null ? 0 : challenger.requests() - start.requests();
        long labels = challenger == null ? 0 : labels(challenger) - start.labels();
        long minRequests = step.minRequests() == null ? 0 : step.minRequests();
        long minLabels = step.minLabels() == null ? 0 : step.minLabels();
        seen.put("step", rollout.step());
        seen.put("step_requests", requests);
        seen.put("step_labels", labels);
        String counts = String.format(
                Locale.ROOT, "%d of %d requests and %d of %d labels", requests, minRequests, labels, minLabels);
        if (requests >= minRequests && labels >= minLabels) {
            String next = rollout.step() + 1 < steps.size()
                    ? "to step " + (rollout.step() + 1) + " ("
                            + steps.get(rollout.step() + 1).weight() + " %)"
                    : "to promotion";
            return Optional.of(new Decision(
                    "advance",
                    "step " + rollout.step() + " has its evidence (" + counts + ") and every guard holds: " + next,
                    seen));
        }
        Duration max = step.maxDuration();
        if (max != null && now.isAfter(start.at().plus(max))) {
            return Optional.of(new Decision(
                    "pause",
                    "step " + rollout.step() + " waited " + max + " for its evidence and has " + counts
                            + ": paused for a person to decide",
                    seen));
        }
        return Optional.empty();
    }

    /** The version of the rollout that plays this role, as the evidence has it; null before its first log. */
    private static RolloutStats.VersionView role(
            RolloutStats.View evidence, RegistryRollouts.Active rollout, String role) {
        for (RegistryRollouts.Arm arm : rollout.arms()) {
            if (role.equals(arm.role())) {
                for (RolloutStats.VersionView version : evidence.versions()) {
                    if (version.version() == arm.version()) {
                        return version;
                    }
                }
            }
        }
        return null;
    }

    private static long labels(RolloutStats.VersionView version) {
        return version.quality() == null ? 0 : version.quality().labels();
    }
}
