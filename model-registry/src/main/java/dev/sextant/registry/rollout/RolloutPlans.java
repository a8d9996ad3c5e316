package dev.sextant.registry.rollout;

import dev.sextant.registry.api.ApiException;
import dev.sextant.registry.model.ModelVersionView;
import dev.sextant.registry.model.VersionMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * Checks a {@link RolloutSpec} field by field and works out where the rollout starts: its arms and their weights,
 * its shadow, its first step. A malformed field is a 400 naming it; a version that does not exist, is the champion,
 * or cannot answer the champion's requests (another signature, other request fields) is a 422 naming it. Nothing is
 * stored until every field passes.
 */
final class RolloutPlans {

    static final Set<String> STRATEGIES = Set.of("blue_green", "canary", "ab_test", "bandit", "shadow");
    static final Set<String> METRICS = Set.of("roc_auc", "pr_auc", "log_loss", "calibration");
    static final Set<String> REWARDS = Set.of("correct_decision", "log_likelihood");

    private static final int MAX_CHALLENGERS = 9;
    private static final int MAX_STEPS = 20;
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    private static final Duration LEAST_UPDATE_INTERVAL = Duration.ofSeconds(10);

    /** Where a checked rollout starts. */
    record Plan(RolloutSpec spec, List<Rollout.Arm> arms, Rollout.ShadowArm shadow, Integer step) {}

    private RolloutPlans() {}

    /**
     * @param champion the version that holds {@code champion} now
     * @param versions looks up another version of the same model
     */
    static Plan check(RolloutSpec spec, ModelVersionView champion, IntFunction<Optional<ModelVersionView>> versions) {
        if (spec == null) {
            throw ApiException.badRequest("body must be a rollout: {\"strategy\": ..., \"challengers\": [...], ...}");
        }
        String strategy = spec.strategy();
        if (strategy == null || !STRATEGIES.contains(strategy)) {
            throw ApiException.badRequest(
                    "strategy must be one of " + new TreeSet<>(STRATEGIES) + ", got '" + strategy + "'");
        }
        if (spec.key() != null && !KEY.matcher(spec.key()).matches()) {
            throw ApiException.badRequest("key must name a request field (1-64 letters, digits, '_', '.', '-',"
                    + " starting with a letter or '_'), got '" + spec.key() + "'");
        }
        List<Integer> challengers = spec.challengers() == null ? List.of() : spec.challengers();
        checkChallengerCount(strategy, challengers.size());
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < challengers.size(); i++) {
            Integer version = challengers.get(i);
            if (version == null || !seen.add(version)) {
                throw ApiException.badRequest("challengers[" + i + "] must be a version named once, got " + version);
            }
            comparable("challengers[" + i + "]", version, champion, versions);
        }
        RolloutSpec.Shadow shadow = spec.shadow();
        if ("shadow".equals(strategy) && shadow == null) {
            throw ApiException.badRequest("shadow is required by strategy shadow: {\"version\": N, \"share\": 0-1}");
        }
        if (shadow != null) {
            if (shadow.version() == null) {
                throw ApiException.badRequest("shadow.version is required");
            }
            RolloutFields.fraction("shadow.share", shadow.share(), false);
            comparable("shadow.version", shadow.version(), champion, versions);
        }
        RolloutFields.checkGuards(spec.guards());
        return switch (strategy) {
            case "canary" -> canary(spec, champion.version(), challengers.get(0));
            case "ab_test" -> abTest(spec, champion.version(), challengers);
            case "bandit" -> bandit(spec, champion.version(), challengers);
            case "blue_green" ->
                new Plan(
                        spec,
                        List.of(champion(champion.version(), 0), challenger(challengers.get(0), 100)),
                        shadowArm(shadow, null),
                        null);
            default -> new Plan(spec, List.of(champion(champion.version(), 100)), shadowArm(shadow, null), null);
        };
    }

    private static void checkChallengerCount(String strategy, int count) {
        boolean ok =
                switch (strategy) {
                    case "blue_green", "canary" -> count == 1;
                    case "ab_test", "bandit" -> count >= 1 && count <= MAX_CHALLENGERS;
                    default -> count == 0;
                };
        if (!ok) {
            String wanted =
                    switch (strategy) {
                        case "blue_green", "canary" -> "exactly one version";
                        case "ab_test", "bandit" -> "1 to " + MAX_CHALLENGERS + " versions";
                        default -> "no version (the shadow is named in shadow.version)";
                    };
            throw ApiException.badRequest(
                    "challengers must name " + wanted + " for strategy " + strategy + ", got " + count);
        }
    }

    /** A version that can answer every request the champion answers: same signature, same request fields. */
    private static void comparable(
            String field, int version, ModelVersionView champion, IntFunction<Optional<ModelVersionView>> versions) {
        if (version == champion.version()) {
            throw ApiException.unprocessable(field + ": version " + version + " is the champion");
        }
        ModelVersionView candidate = versions.apply(version)
                .orElseThrow(() -> ApiException.unprocessable(
                        field + ": model '" + champion.name() + "' has no version " + version));
        if (!candidate.signature().inputs().equals(champion.signature().inputs())) {
            throw ApiException.unprocessable(field + ": version " + version + " takes other inputs than the champion"
                    + " (version " + champion.version() + "), so it cannot answer the same requests");
        }
        if (!candidate.signature().outputs().equals(champion.signature().outputs())) {
            throw ApiException.unprocessable(field + ": version " + version + " answers other outputs than the"
                    + " champion (version " + champion.version() + "), so their answers cannot be compared");
        }
        if (!requestFields(candidate).equals(requestFields(champion))) {
            throw ApiException.unprocessable(field + ": version " + version + " reads request fields "
                    + requestFields(candidate) + ", the champion (version " + champion.version() + ") "
                    + requestFields(champion) + ": the champion's requests do not carry what it needs");
        }
    }

    private static Set<String> requestFields(ModelVersionView version) {
        Set<String> fields = new TreeSet<>();
        for (VersionMetadata.FeatureBinding binding : version.features()) {
            if (binding.ref().startsWith("request:")) {
                fields.add(binding.ref().substring("request:".length()));
            }
        }
        return fields;
    }

    private static Plan canary(RolloutSpec spec, int champion, int challenger) {
        List<RolloutSpec.Step> steps = spec.steps();
        if (steps == null || steps.isEmpty() || steps.size() > MAX_STEPS) {
            throw ApiException.badRequest("steps must hold 1 to " + MAX_STEPS + " steps for strategy canary, e.g."
                    + " [{\"weight\": 1}, {\"weight\": 10}, {\"weight\": 50}]");
        }
        double previous = 0;
        for (int i = 0; i < steps.size(); i++) {
            RolloutSpec.Step step = steps.get(i);
            String field = "steps[" + i + "]";
            if (step == null || step.weight() == null) {
                throw ApiException.badRequest(field + ".weight is required (the challenger's percent of traffic)");
            }
            RolloutFields.percent(field + ".weight", step.weight());
            if (step.weight() < previous) {
                throw ApiException.badRequest(field + ".weight " + step.weight() + " is below the step before ("
                        + previous + "): a canary's steps never take traffic back");
            }
            previous = step.weight();
            if (step.shadowShare() != null) {
                if (spec.shadow() == null) {
                    throw ApiException.badRequest(field + ".shadow_share needs a shadow: {\"version\": N, ...}");
                }
                RolloutFields.fraction(field + ".shadow_share", step.shadowShare(), true);
            }
            RolloutFields.atLeastZero(field + ".min_requests", step.minRequests());
            RolloutFields.atLeastZero(field + ".min_labels", step.minLabels());
            if (step.maxDuration() != null
                    && (step.maxDuration().isNegative() || step.maxDuration().isZero())) {
                throw ApiException.badRequest(field + ".max_duration must be positive, got " + step.maxDuration());
            }
        }
        RolloutSpec.Step first = steps.get(0);
        return new Plan(
                spec,
                List.of(champion(champion, 100 - first.weight()), challenger(challenger, first.weight())),
                shadowArm(spec.shadow(), first.shadowShare()),
                0);
    }

    private static Plan abTest(RolloutSpec spec, int champion, List<Integer> challengers) {
        RolloutSpec.Test test = spec.test();
        if (test == null) {
            throw ApiException.badRequest("test is required by strategy ab_test: {\"metric\": ..., \"alpha\": 0.05,"
                    + " \"power\": 0.8, \"minimum_detectable_effect\": ...}");
        }
        RolloutFields.metric("test.metric", test.metric());
        RolloutFields.open("test.alpha", test.alpha(), 0, 0.5);
        RolloutFields.open("test.power", test.power(), 0.5, 1);
        if (test.minimumDetectableEffect() == null
                || !(test.minimumDetectableEffect() > 0)
                || Double.isInfinite(test.minimumDetectableEffect())) {
            throw ApiException.badRequest(
                    "test.minimum_detectable_effect must be a positive number, got " + test.minimumDetectableEffect());
        }
        int arms = challengers.size() + 1;
        List<Double> weights = test.weights();
        if (weights == null) {
            weights = new ArrayList<>();
            for (int i = 0; i < arms; i++) {
                weights.add(100.0 / arms);
            }
        } else {
            RolloutFields.checkWeights("test.weights", weights, arms, 0);
        }
        return new Plan(spec, arms(champion, challengers, weights), shadowArm(spec.shadow(), null), null);
    }

    private static Plan bandit(RolloutSpec spec, int champion, List<Integer> challengers) {
        RolloutSpec.Bandit bandit = spec.bandit();
        if (bandit == null) {
            throw ApiException.badRequest("bandit is required by strategy bandit: {\"reward\": \"correct_decision\","
                    + " \"exploration_floor\": 0.05, \"update_interval\": \"PT1M\"}");
        }
        if (bandit.reward() == null || !REWARDS.contains(bandit.reward())) {
            throw ApiException.badRequest(
                    "bandit.reward must be one of " + new TreeSet<>(REWARDS) + ", got '" + bandit.reward() + "'");
        }
        int arms = challengers.size() + 1;
        if (bandit.explorationFloor() == null
                || !(bandit.explorationFloor() >= 0)
                || bandit.explorationFloor() > 1.0 / arms) {
            throw ApiException.badRequest("bandit.exploration_floor must be between 0 and 1/" + arms + " (every arm"
                    + " keeps at least that share), got " + bandit.explorationFloor());
        }
        if (bandit.updateInterval() == null || bandit.updateInterval().compareTo(LEAST_UPDATE_INTERVAL) < 0) {
            throw ApiException.badRequest(
                    "bandit.update_interval must be at least PT10S, got " + bandit.updateInterval());
        }
        List<Double> equal = new ArrayList<>();
        for (int i = 0; i < arms; i++) {
            equal.add(100.0 / arms);
        }
        return new Plan(spec, arms(champion, challengers, equal), shadowArm(spec.shadow(), null), null);
    }

    static List<Rollout.Arm> arms(int champion, List<Integer> challengers, List<Double> weights) {
        List<Rollout.Arm> arms = new ArrayList<>();
        arms.add(champion(champion, weights.get(0)));
        for (int i = 0; i < challengers.size(); i++) {
            arms.add(challenger(challengers.get(i), weights.get(i + 1)));
        }
        return List.copyOf(arms);
    }

    static Rollout.Arm champion(int version, double weight) {
        return new Rollout.Arm(version, "champion", weight);
    }

    static Rollout.Arm challenger(int version, double weight) {
        return new Rollout.Arm(version, "challenger", weight);
    }

    static Rollout.ShadowArm shadowArm(RolloutSpec.Shadow shadow, Double share) {
        if (shadow == null) {
            return null;
        }
        return new Rollout.ShadowArm(shadow.version(), share != null ? share : shadow.share());
    }
}
