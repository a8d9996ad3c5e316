package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.registry.client.rollout.Rollout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An A/B test's analysis and conclusion. The split is checked first: a sample-ratio mismatch pauses the test for a
 * person, since no comparison of the arms can be trusted. Then each challenger is compared with the champion on the
 * pre-registered metric ({@link AbTest}). A sequential test promotes a challenger as soon as it is significantly
 * better (the best such one when several are); a fixed-horizon test waits until every comparison is read. When
 * every challenger is significantly worse or shows no significant difference at its horizon, the test ends with the
 * champion: the rollout is rolled back.
 */
final class AbTestDecision {

    /**
     * @param test what kind of test it is, in words
     * @param sampleRatio the split's check on the units assigned to each arm
     * @param comparisons each challenger against the champion
     */
    record Analysis(String test, AbTest.Design design, SampleRatio sampleRatio, List<AbTest.Comparison> comparisons) {}

    private AbTestDecision() {}

    static Analysis analyse(Rollout rollout, RolloutStats.View evidence, MonitoringProperties.Rollouts settings) {
        AbTest.Design design = AbTest.Design.of(rollout.spec().test());
        List<Long> units = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<AbTest.Arm> arms = new ArrayList<>();
        for (Rollout.Arm arm : rollout.arms()) {
            RolloutStats.VersionView seen = Decision.version(evidence, arm.version());
            units.add(seen == null ? 0 : seen.units());
            weights.add(arm.weight());
            arms.add(new AbTest.Arm(arm.version(), arm.weight(), seen == null ? null : seen.quality()));
        }
        SampleRatio split = SampleRatio.check(units, weights, settings.minLiveSamples(), settings.srmAlpha());
        List<AbTest.Comparison> comparisons =
                AbTest.compare(design, arms.get(0), arms.subList(1, arms.size()), settings.minLabels());
        return new Analysis(design.kind(), design, split, comparisons);
    }

    static Optional<Decision> decide(Analysis analysis, RolloutStats.VersionView champion) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("champion", champion);
        seen.put("test", analysis);
        SampleRatio split = analysis.sampleRatio();
        if (split.mismatch()) {
            return Optional.of(new Decision(
                    "pause",
                    format(
                            "sample ratio mismatch: units %s against weights %s (chi-squared %.4g, p = %.3g): the"
                                    + " split is not the one designed, so no comparison can be trusted; paused for a"
                                    + " person",
                            split.units(), split.weights(), split.chiSquared(), split.pValue()),
                    seen));
        }
        List<AbTest.Comparison> comparisons = analysis.comparisons();
        boolean allRead = comparisons.stream().allMatch(AbTest.Comparison::read);
        if (!analysis.design().sequential() && !allRead) {
            return Optional.empty();
        }
        Optional<AbTest.Comparison> best = comparisons.stream()
                .filter(comparison -> "better".equals(comparison.verdict()))
                .max(Comparator.comparingDouble(comparison -> Math.abs(comparison.difference())));
        if (best.isPresent()) {
            AbTest.Comparison winner = best.get();
            return Optional.of(new Decision(
                    "promote", describe(analysis.design(), winner) + ": promoted", winner.version(), null, seen));
        }
        if (allRead) {
            List<String> each = comparisons.stream()
                    .map(comparison -> describe(analysis.design(), comparison))
                    .toList();
            return Optional.of(new Decision(
                    "roll_back", String.join("; ", each) + ": no challenger is better, the champion stays", seen));
        }
        return Optional.empty();
    }

    private static String describe(AbTest.Design design, AbTest.Comparison comparison) {
        String verdict =
                switch (comparison.verdict()) {
                    case "better" -> "better than";
                    case "worse" -> "worse than";
                    default -> "not significantly different from";
                };
        return format(
                "version %d's %s %.4g is %s the champion's %.4g on %d and %d labels: difference %.4g, %.0f %%"
                        + " confidence interval [%.4g, %.4g], %sp = %.3g against alpha %.3g",
                comparison.version(),
                design.metric(),
                comparison.challenger(),
                verdict,
                comparison.champion(),
                comparison.labels(),
                comparison.championLabels(),
                comparison.difference(),
                100 * (1 - comparison.alpha()),
                comparison.low(),
                comparison.high(),
                design.sequential() ? "always-valid " : "",
                comparison.pValue(),
                comparison.alpha());
    }

    private static String format(String pattern, Object... arguments) {
        return String.format(Locale.ROOT, pattern, arguments);
    }
}
