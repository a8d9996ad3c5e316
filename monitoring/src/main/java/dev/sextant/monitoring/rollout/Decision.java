package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.registry.client.rollout.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the controller does with a running rollout, decided on its evidence as a pure function: a guard that fails
 * for any challenger rolls the rollout back, whatever its strategy; a canary step whose challenger has answered
 * {@code min_requests} requests and has {@code min_labels} labelled predictions under the step's revision (the
 * requests its weights assigned) advances (the registry promotes after the last step); a step still short of that after {@code max_duration} pauses the rollout
 * for a person; an A/B test concludes on its test ({@link AbTestDecision}), a bandit reweighs and concludes on its
 * posterior ({@link BanditDecision}); otherwise it waits.
 *
 * @param action the registry action: {@code roll_back}, {@code advance}, {@code pause}, {@code promote} or
 *     {@code reweigh}
 * @param reason why, in words, with the figures
 * @param version the version a promotion names; null for the only challenger
 * @param weights a reweighing's weights in percent, champion first; null otherwise
 * @param evidence what it was decided on, kept in the rollout's history
 */
record Decision(String action, String reason, Integer version, List<Double> weights, Map<String, Object> evidence) {

    Decision(String action, String reason, Map<String, Object> evidence) {
        this(action, reason, null, null, evidence);
    }

    /**
     * @param analysis the strategy's analysis of this evidence ({@link #analyse}), null for a canary and a
     *     blue-green switch
     */
    static Optional<Decision> decide(
            Rollout rollout,
            RolloutStats.View evidence,
            Object analysis,
            Instant now,
            MonitoringProperties.Rollouts settings) {
        if (!rollout.running() || rollout.spec() == null) {
            return Optional.empty();
        }
        RolloutStats.VersionView champion = role(evidence, rollout, "champion");
        List<Rollout.Arm> challengers = challengers(rollout);
        Map<Integer, Object> guards = new LinkedHashMap<>();
        for (Rollout.Arm arm : challengers) {
            RolloutStats.VersionView challenger = version(evidence, arm.version());
            Guards.Verdict verdict = Guards.judge(rollout.spec().guards(), champion, challenger, settings);
            guards.put(arm.version(), verdict.measured());
            if (verdict.failure().isPresent()) {
                Map<String, Object> seen = new LinkedHashMap<>();
                seen.put("champion", champion);
                seen.put("challenger", challenger);
                seen.put("guards", verdict.measured());
                String which = challengers.size() > 1 ? "version " + arm.version() + ": " : "";
                return Optional.of(
                        new Decision("roll_back", which + verdict.failure().get(), seen));
            }
        }
        Optional<Decision> concluded = Optional.empty();
        if (analysis instanceof AbTestDecision.Analysis test) {
            concluded = AbTestDecision.decide(test, champion);
        } else if (analysis instanceof BanditDecision.Posterior posterior) {
            concluded = BanditDecision.decide(rollout, posterior, now);
        }
        concluded.ifPresent(decision -> decision.evidence().put("guards", guards));
        if (analysis != null || !"canary".equals(rollout.strategy()) || rollout.step() == null) {
            return concluded;
        }
        RolloutStats.VersionView challenger = role(evidence, rollout, "challenger");
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("champion", champion);
        seen.put("challenger", challenger);
        seen.put("guards", guards.get(challengers.get(0).version()));
        List<Rollout.Step> steps = rollout.spec().steps();
        if (rollout.step() >= steps.size()) {
            return Optional.empty();
        }
        Rollout.Step step = steps.get(rollout.step());
        // the step's evidence: what its revision's weights assigned the challenger (ADR 0008)
        RolloutStats.RevisionCounts assigned =
                challenger == null ? RolloutStats.RevisionCounts.NONE : challenger.at(rollout.revision());
        long requests = assigned.requests();
        long labels = assigned.labels();
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
        Instant began = rollout.updatedAt() == null ? evidence.firstSeen() : rollout.updatedAt();
        if (max != null && now.isAfter(began.plus(max))) {
            return Optional.of(new Decision(
                    "pause",
                    "step " + rollout.step() + " waited " + max + " for its evidence and has " + counts
                            + ": paused for a person to decide",
                    seen));
        }
        return Optional.empty();
    }

    /**
     * The strategy's analysis of the evidence, shown with it and decided on: an A/B test's comparisons and split
     * check, a bandit's posterior; null for the other strategies.
     */
    static Object analyse(Rollout rollout, RolloutStats.View evidence, MonitoringProperties.Rollouts settings) {
        if (rollout.spec() == null) {
            return null;
        }
        if ("ab_test".equals(rollout.strategy()) && rollout.spec().test() != null) {
            return AbTestDecision.analyse(rollout, evidence, settings);
        }
        if ("bandit".equals(rollout.strategy()) && rollout.spec().bandit() != null) {
            return BanditDecision.analyse(rollout, evidence, settings);
        }
        return null;
    }

    /** The version of the rollout that plays this role, as the evidence has it; null before its first log. */
    private static RolloutStats.VersionView role(RolloutStats.View evidence, Rollout rollout, String role) {
        for (Rollout.Arm arm : rollout.arms()) {
            if (role.equals(arm.role())) {
                return version(evidence, arm.version());
            }
        }
        return null;
    }

    /** A version's evidence; null before its first log. */
    static RolloutStats.VersionView version(RolloutStats.View evidence, int version) {
        for (RolloutStats.VersionView seen : evidence.versions()) {
            if (seen.version() == version) {
                return seen;
            }
        }
        return null;
    }

    static List<Rollout.Arm> challengers(Rollout rollout) {
        return rollout.arms().stream()
                .filter(arm -> "challenger".equals(arm.role()))
                .toList();
    }

    static long labels(RolloutStats.VersionView version) {
        return version.quality() == null ? 0 : version.quality().labels();
    }
}
