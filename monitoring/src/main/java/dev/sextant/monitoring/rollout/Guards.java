package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.registry.client.rollout.Rollout;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * A rollout's guards judged on its evidence: the challenger's live p99 against the champion's, its error rate, and
 * its quality on delayed labels against the champion's with a one-sided test. A guard is judged only once both
 * versions have enough evidence ({@code rollouts.min-live-samples}, {@code rollouts.min-labels}); until then it
 * neither fails nor passes. Pure: the same evidence gives the same answer.
 */
final class Guards {

    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    /** What the guards found: a failure (why), and what each judged guard measured. */
    record Verdict(Optional<String> failure, Map<String, Object> measured) {}

    private Guards() {}

    static Verdict judge(
            Rollout.Guards guards,
            RolloutStats.VersionView champion,
            RolloutStats.VersionView challenger,
            MonitoringProperties.Rollouts settings) {
        Map<String, Object> measured = new LinkedHashMap<>();
        if (guards == null || challenger == null) {
            return new Verdict(Optional.empty(), measured);
        }
        Optional<String> failure = latency(guards.maxLatencyRatio(), champion, challenger, settings, measured)
                .or(() -> errors(guards.maxErrorRate(), challenger, settings, measured))
                .or(() -> quality(guards.quality(), champion, challenger, settings, measured));
        return new Verdict(failure, measured);
    }

    private static Optional<String> latency(
            Double maxRatio,
            RolloutStats.VersionView champion,
            RolloutStats.VersionView challenger,
            MonitoringProperties.Rollouts settings,
            Map<String, Object> measured) {
        if (maxRatio == null
                || champion == null
                || champion.totalMs() == null
                || challenger.totalMs() == null
                || champion.totalMs().count() < settings.minLiveSamples()
                || challenger.totalMs().count() < settings.minLiveSamples()
                || champion.totalMs().p99() <= 0) {
            return Optional.empty();
        }
        double ratio = challenger.totalMs().p99() / champion.totalMs().p99();
        measured.put("latency_ratio", ratio);
        if (ratio <= maxRatio) {
            return Optional.empty();
        }
        return Optional.of(format(
                "the challenger's p99 %.3g ms is %.3g times the champion's %.3g ms, above max_latency_ratio %s",
                challenger.totalMs().p99(), ratio, champion.totalMs().p99(), maxRatio));
    }

    private static Optional<String> errors(
            Double maxRate,
            RolloutStats.VersionView challenger,
            MonitoringProperties.Rollouts settings,
            Map<String, Object> measured) {
        if (maxRate == null || challenger.requests() + challenger.errors() < settings.minLiveSamples()) {
            return Optional.empty();
        }
        measured.put("error_rate", challenger.errorRate());
        if (challenger.errorRate() <= maxRate) {
            return Optional.empty();
        }
        return Optional.of(format(
                "the challenger failed %d of %d requests (%.3g), above max_error_rate %s",
                challenger.errors(), challenger.errors() + challenger.requests(), challenger.errorRate(), maxRate));
    }

    /**
     * The one-sided test that the challenger is worse than the champion by more than {@code max_degradation}:
     * {@code z = (degradation - max_degradation) / sqrt(se_champion² + se_challenger²)} (the two versions answer
     * different requests, so their estimates are independent), failing when {@code P(Z > z) < alpha}.
     */
    private static Optional<String> quality(
            Rollout.QualityGuard guard,
            RolloutStats.VersionView champion,
            RolloutStats.VersionView challenger,
            MonitoringProperties.Rollouts settings,
            Map<String, Object> measured) {
        if (guard == null || champion == null || champion.quality() == null || challenger.quality() == null) {
            return Optional.empty();
        }
        Quality.View a = champion.quality();
        Quality.View b = challenger.quality();
        if (a.labels() < settings.minLabels() || b.labels() < settings.minLabels()) {
            return Optional.empty();
        }
        Estimate reference = Estimate.of(guard.metric(), a);
        Estimate candidate = Estimate.of(guard.metric(), b);
        if (reference == null || candidate == null) {
            return Optional.empty();
        }
        // how much worse the challenger is: positive when worse, whichever way the metric improves
        double degradation = -reference.improvementOf(candidate);
        double error = Math.sqrt(reference.differenceVariance(candidate));
        double allowed = guard.maxDegradation() == null ? 0 : guard.maxDegradation();
        double alpha = guard.alpha() == null ? 0.05 : guard.alpha();
        double z =
                error == 0 ? (degradation > allowed ? Double.POSITIVE_INFINITY : 0) : (degradation - allowed) / error;
        double p = NORMAL.survivalProbability(z);
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("metric", guard.metric());
        test.put("champion", reference.value());
        test.put("challenger", candidate.value());
        test.put("degradation", degradation);
        test.put("max_degradation", allowed);
        test.put("z", z);
        test.put("p_value", p);
        test.put("alpha", alpha);
        measured.put("quality", test);
        if (p >= alpha) {
            return Optional.empty();
        }
        return Optional.of(format(
                "the challenger's %s %.4g is worse than the champion's %.4g by %.4g, more than max_degradation %s"
                        + " (p = %.3g < alpha %s)",
                guard.metric(), candidate.value(), reference.value(), degradation, allowed, p, alpha));
    }

    private static String format(String pattern, Object... arguments) {
        return String.format(Locale.ROOT, pattern, arguments);
    }
}
