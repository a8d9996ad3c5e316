package dev.sextant.monitoring.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.registry.client.rollout.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Thompson sampling on delayed labels: the weights it proposes, when it reweighs, and when it ends. */
class BanditDecisionTest {

    private static final MonitoringProperties.Rollouts SETTINGS =
            new MonitoringProperties.Rollouts(true, Duration.ofSeconds(10), 100, 100, 0.001, 0.95, 1000);
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void eachArmKeepsTheFloorAndSharesTheRestByItsChanceOfBeingTheBest() {
        List<Double> weights = BanditDecision.weights(new double[] {0.7, 0.2, 0.1}, 0.05);

        assertThat(weights.get(0)).isCloseTo(64.5, within(1e-9));
        assertThat(weights.get(1)).isCloseTo(22.0, within(1e-9));
        assertThat(weights.get(2)).isCloseTo(13.5, within(1e-9));
        assertThat(weights.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(100, within(1e-9));
        assertThat(BanditDecision.weights(new double[] {1, 0, 0}, 0.1))
                .allSatisfy(weight -> assertThat(weight).isGreaterThanOrEqualTo(10));
    }

    @Test
    void aClearlyBetterChallengerWithEnoughLabelsIsPromoted() {
        Rollout rollout = bandit(NOW.minusSeconds(600), 50, 50);
        BanditDecision.Posterior posterior = analyse(rollout, correct(1, 1_000, 600), correct(2, 1_000, 700));

        assertThat(posterior.ready()).isTrue();
        assertThat(posterior.arms().get(1).probabilityBest()).isGreaterThan(0.99);
        assertThat(posterior.arms().get(1).posterior()).isEqualTo("Beta(701, 301)");
        Optional<Decision> decision = BanditDecision.decide(rollout, posterior, NOW);
        assertThat(decision).get().extracting(Decision::action).isEqualTo("promote");
        assertThat(decision.get().version()).isEqualTo(2);
    }

    @Test
    void aChampionThatIsTheBestEndsTheBanditWithTheChampion() {
        Rollout rollout = bandit(NOW.minusSeconds(600), 50, 50);
        BanditDecision.Posterior posterior = analyse(rollout, correct(1, 1_000, 800), correct(2, 1_000, 700));

        assertThat(BanditDecision.decide(rollout, posterior, NOW))
                .get()
                .extracting(Decision::action)
                .isEqualTo("roll_back");
    }

    @Test
    void beforeItsEvidenceSufficesItReweighsOncePerIntervalWhenAWeightMoves() {
        Rollout due = bandit(NOW.minusSeconds(120), 50, 50);
        BanditDecision.Posterior posterior = analyse(due, correct(1, 50, 30), correct(2, 50, 40));

        assertThat(posterior.ready()).as("the champion has 50 of 100 labels").isFalse();
        Optional<Decision> reweighed = BanditDecision.decide(due, posterior, NOW);
        assertThat(reweighed).get().extracting(Decision::action).isEqualTo("reweigh");
        assertThat(reweighed.get().weights().get(1)).isGreaterThan(50);
        assertThat(reweighed.get().reason()).startsWith("Thompson sampling on correct_decision: version 1 P(best)");

        Rollout recent = bandit(NOW.minusSeconds(10), 50, 50);
        assertThat(BanditDecision.decide(recent, analyse(recent, correct(1, 50, 30), correct(2, 50, 40)), NOW))
                .as("within the update interval")
                .isEmpty();
        Rollout settled = bandit(NOW.minusSeconds(120), 50, 50);
        assertThat(BanditDecision.decide(settled, analyse(settled, correct(1, 50, 35), correct(2, 50, 35)), NOW))
                .as("no weight moves by a point")
                .isEmpty();
    }

    @Test
    void overRoundsOfLabelledTrafficTheBestArmTakesMostOfItAndNoArmFallsBelowTheFloor() {
        double[] accuracy = {0.70, 0.72, 0.80};
        long[] labels = new long[3];
        long[] right = new long[3];
        List<Double> weights = List.of(100 / 3.0, 100 / 3.0, 100 / 3.0);
        SplittableRandom random = new SplittableRandom(5);
        List<List<Double>> shares = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            for (int request = 0; request < 500; request++) {
                double pick = random.nextDouble() * 100;
                int arm = pick < weights.get(0) ? 0 : pick < weights.get(0) + weights.get(1) ? 1 : 2;
                labels[arm]++;
                right[arm] += random.nextDouble() < accuracy[arm] ? 1 : 0;
            }
            Rollout rollout = revision(NOW.minusSeconds(600), round, weights.get(0), weights.get(1), weights.get(2));
            BanditDecision.Posterior posterior = analyse(
                    rollout,
                    correct(1, labels[0], right[0]),
                    correct(2, labels[1], right[1]),
                    correct(3, labels[2], right[2]));
            weights = posterior.proposed();
            shares.add(weights);
        }

        assertThat(shares).allSatisfy(round -> assertThat(round)
                .allSatisfy(weight -> assertThat(weight).isGreaterThanOrEqualTo(5)));
        assertThat(shares.get(29).get(2)).as("the best arm's share at the end").isGreaterThan(80);
        assertThat(labels[2]).as("the best arm answered most").isGreaterThan(labels[0] + labels[1]);
    }

    private static BanditDecision.Posterior analyse(Rollout rollout, RolloutStats.VersionView... versions) {
        RolloutStats.View evidence =
                new RolloutStats.View("fraud", rollout.id(), NOW, NOW, List.of(versions), 1, null, List.of(), null);
        return BanditDecision.analyse(rollout, evidence, SETTINGS);
    }

    private static Rollout bandit(Instant updated, double... weights) {
        return revision(updated, 1, weights);
    }

    private static Rollout revision(Instant updated, int revision, double... weights) {
        List<Rollout.Arm> arms = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            arms.add(new Rollout.Arm(i + 1, i == 0 ? "champion" : "challenger", weights[i]));
        }
        return TestRollouts.rollout(
                11,
                "fraud",
                "bandit",
                "running",
                revision,
                null,
                arms,
                new Rollout.Spec(
                        List.of(), null, null, new Rollout.Bandit("correct_decision", 0.05, Duration.ofMinutes(1))),
                updated,
                updated,
                List.of());
    }

    private static RolloutStats.VersionView correct(int version, long labels, long correct) {
        Quality.View quality = new Quality.View(labels, 0.2, correct, 0.4, 0.01, 0.0, 0.01, null, null, null, null);
        return new RolloutStats.VersionView(
                version, version == 1 ? "champion" : "challenger", labels, 0, 0, labels, null, null, quality, Map.of());
    }
}
