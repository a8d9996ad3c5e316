package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.registry.client.rollout.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * A bandit by Thompson sampling on delayed labels. Each arm's reward has a posterior: for {@code correct_decision}
 * (1 when the decision at the threshold matches the label) the conjugate {@code Beta(1 + correct, 1 + wrong)}; for
 * {@code log_likelihood} (minus the log loss) the normal approximation {@code N(mean, se²)} of its mean, or before
 * two labels the vague {@code N(-ln 2, 1)} around a coin flip's. The probability that each arm is the best is
 * estimated from {@value #DRAWS} joint draws (seeded by the rollout and its revision, so the same evidence gives the
 * same weights), and each arm's weight is the exploration floor plus its probability's share of the rest:
 * {@code w = floor + (1 - arms floor) P(best)}. The controller reweighs once {@code update_interval} has passed
 * since the rollout last changed and a weight moves by {@value #LEAST_CHANGE} points or more; the registry keeps each
 * reweighing in the rollout's history, which is the traffic shares over time. The bandit ends when every arm has
 * {@code min-labels} labels and one is the best with probability {@code bandit-confidence}: that arm is promoted, or
 * the rollout rolled back when it is the champion.
 */
final class BanditDecision {

    static final int DRAWS = 10_000;

    /** Points of weight by which an arm must move for the controller to reweigh. */
    static final double LEAST_CHANGE = 1.0;

    /**
     * @param posterior the reward's posterior, in words
     * @param weight its share now, in percent; proposed, the share its posterior gives it
     */
    record ArmPosterior(
            int version,
            String role,
            long labels,
            Double meanReward,
            String posterior,
            double probabilityBest,
            double weight,
            double proposed) {}

    /** @param ready whether every arm has the labels the bandit may end on */
    record Posterior(
            String reward, double explorationFloor, double confidence, boolean ready, List<ArmPosterior> arms) {

        List<Double> proposed() {
            return arms.stream().map(ArmPosterior::proposed).toList();
        }
    }

    private BanditDecision() {}

    static Posterior analyse(Rollout rollout, RolloutStats.View evidence, MonitoringProperties.Rollouts settings) {
        Rollout.Bandit bandit = rollout.spec().bandit();
        SplittableRandom random = new SplittableRandom(rollout.id() * 1_000_003L + rollout.revision());
        UniformRandomProvider source = random::nextLong;
        List<Rollout.Arm> arms = rollout.arms();
        List<ContinuousDistribution.Sampler> samplers = new ArrayList<>();
        List<String> described = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        boolean ready = true;
        for (Rollout.Arm arm : arms) {
            RolloutStats.VersionView seen = Decision.version(evidence, arm.version());
            Quality.View quality = seen == null ? null : seen.quality();
            long n = quality == null ? 0 : quality.labels();
            labels.add(n);
            ready &= n >= settings.minLabels();
            ContinuousDistribution posterior;
            if ("log_likelihood".equals(bandit.reward())) {
                boolean known = quality != null && quality.logLossStandardError() != null;
                double mean = known ? -quality.logLoss() : -Math.log(2);
                double error = known ? Math.max(quality.logLossStandardError(), 1e-9) : 1;
                posterior = NormalDistribution.of(mean, error);
                described.add(format("N(%.4g, %.3g²)", mean, error));
                means.add(known ? mean : null);
            } else {
                long correct = quality == null ? 0 : quality.correctDecisions();
                posterior = BetaDistribution.of(1 + correct, 1 + n - correct);
                described.add(format("Beta(%d, %d)", 1 + correct, 1 + n - correct));
                means.add(n == 0 ? null : (double) correct / n);
            }
            samplers.add(posterior.createSampler(source));
        }
        double[] best = probabilityBest(samplers);
        double floor = bandit.explorationFloor();
        List<Double> proposed = weights(best, floor);
        List<ArmPosterior> posteriors = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            posteriors.add(new ArmPosterior(
                    arms.get(i).version(),
                    arms.get(i).role(),
                    labels.get(i),
                    means.get(i),
                    described.get(i),
                    best[i],
                    arms.get(i).weight(),
                    proposed.get(i)));
        }
        return new Posterior(bandit.reward(), floor, settings.banditConfidence(), ready, posteriors);
    }

    static Optional<Decision> decide(Rollout rollout, Posterior posterior, Instant now) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("bandit", posterior);
        ArmPosterior leader = posterior.arms().get(0);
        for (ArmPosterior arm : posterior.arms()) {
            if (arm.probabilityBest() > leader.probabilityBest()) {
                leader = arm;
            }
        }
        if (posterior.ready() && leader.probabilityBest() >= posterior.confidence()) {
            String why = format(
                    "version %d is the best arm with posterior probability %.3f (at least %s) on %s reward",
                    leader.version(), leader.probabilityBest(), posterior.confidence(), posterior.reward());
            return Optional.of(
                    "champion".equals(leader.role())
                            ? new Decision("roll_back", why + ": the champion stays", seen)
                            : new Decision("promote", why + ": promoted", leader.version(), null, seen));
        }
        Duration interval = rollout.spec().bandit().updateInterval();
        boolean due =
                rollout.updatedAt() == null || !now.isBefore(rollout.updatedAt().plus(interval));
        double change = 0;
        for (ArmPosterior arm : posterior.arms()) {
            change = Math.max(change, Math.abs(arm.proposed() - arm.weight()));
        }
        if (!due || change < LEAST_CHANGE) {
            return Optional.empty();
        }
        List<String> each = posterior.arms().stream()
                .map(arm -> format(
                        "version %d P(best) %.3f on %d labels: %.2f %%",
                        arm.version(), arm.probabilityBest(), arm.labels(), arm.proposed()))
                .toList();
        return Optional.of(new Decision(
                "reweigh",
                "Thompson sampling on " + posterior.reward() + ": " + String.join(", ", each),
                null,
                posterior.proposed(),
                seen));
    }

    /** Each arm's share of {@value #DRAWS} joint draws of the posteriors in which it is the best. */
    static double[] probabilityBest(List<ContinuousDistribution.Sampler> samplers) {
        int[] wins = new int[samplers.size()];
        for (int draw = 0; draw < DRAWS; draw++) {
            int best = 0;
            double top = Double.NEGATIVE_INFINITY;
            for (int arm = 0; arm < samplers.size(); arm++) {
                double value = samplers.get(arm).sample();
                if (value > top) {
                    top = value;
                    best = arm;
                }
            }
            wins[best]++;
        }
        double[] probability = new double[wins.length];
        for (int arm = 0; arm < wins.length; arm++) {
            probability[arm] = (double) wins[arm] / DRAWS;
        }
        return probability;
    }

    /**
     * The weights in percent: {@code floor + (1 - arms floor) P(best)} each, so none falls below the floor and they
     * sum to 100 (the probabilities sum to 1).
     */
    static List<Double> weights(double[] best, double floor) {
        double rest = 100 * (1 - best.length * floor);
        List<Double> weights = new ArrayList<>();
        for (double probability : best) {
            weights.add(100 * floor + rest * probability);
        }
        return weights;
    }

    private static String format(String pattern, Object... arguments) {
        return String.format(Locale.ROOT, pattern, arguments);
    }
}
