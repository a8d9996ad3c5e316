package dev.sextant.monitoring.rollout;

import static org.assertj.core.api.Assertions.assertThat;

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

/** What the controller decides on a rollout's evidence: roll back on a failed guard, advance, pause, or wait. */
class DecisionTest {

    private static final Instant STEP_BEGAN = Instant.parse("2026-12-07T06:00:00Z");
    private static final MonitoringProperties.Rollouts SETTINGS =
            new MonitoringProperties.Rollouts(true, Duration.ofSeconds(10), 100, 100, 0.001, 0.95, 1000);
    private static final Rollout.Guards GUARDS =
            new Rollout.Guards(1.5, 0.02, new Rollout.QualityGuard("roc_auc", 0.02, 0.05));

    @Test
    void aStepWithItsEvidenceAndEveryGuardHoldingAdvances() {
        Optional<Decision> decision = decide(
                canary(GUARDS), version(1, "champion", 5_000, 0, 2.0, quality(0.80, 0.01)),
                version(2, "challenger", 1_000, 5, 2.2, quality(0.81, 0.01)), STEP_BEGAN.plusSeconds(60));

        assertThat(decision).get().extracting(Decision::action).isEqualTo("advance");
        assertThat(decision.get().reason())
                .isEqualTo("step 0 has its evidence (1000 of 500 requests and 200 of 200 labels) and every guard"
                        + " holds: to step 1 (50.0 %)");
        assertThat(decision.get().evidence()).containsKeys("champion", "challenger", "guards", "step_requests");
    }

    @Test
    void aChallengerSlowerThanTheRatioAllowsIsRolledBack() {
        Optional<Decision> decision = decide(
                canary(GUARDS),
                version(1, "champion", 5_000, 0, 2.0, null),
                version(2, "challenger", 1_000, 0, 4.0, null),
                STEP_BEGAN);

        assertThat(decision).get().extracting(Decision::action).isEqualTo("roll_back");
        assertThat(decision.get().reason())
                .isEqualTo("the challenger's p99 4.00 ms is 2.00 times the champion's 2.00 ms, above"
                        + " max_latency_ratio 1.5");
    }

    @Test
    void aChallengerFailingMoreThanTheErrorRateAllowsIsRolledBack() {
        Optional<Decision> decision = decide(
                canary(GUARDS),
                version(1, "champion", 5_000, 0, 2.0, null),
                version(2, "challenger", 900, 100, 2.0, null),
                STEP_BEGAN);

        assertThat(decision)
                .get()
                .extracting(Decision::reason)
                .isEqualTo("the challenger failed 100 of 1000 requests (0.100), above max_error_rate 0.02");
    }

    @Test
    void aChallengerSignificantlyWorseOnLabelsIsRolledBackButOneWithinTheAllowanceIsNot() {
        Optional<Decision> worse = decide(
                canary(GUARDS),
                version(1, "champion", 5_000, 0, 2.0, quality(0.80, 0.01)),
                version(2, "challenger", 1_000, 0, 2.0, quality(0.70, 0.01)),
                STEP_BEGAN);
        Optional<Decision> within = decide(
                canary(GUARDS),
                version(1, "champion", 5_000, 0, 2.0, quality(0.80, 0.01)),
                version(2, "challenger", 1_000, 0, 2.0, quality(0.79, 0.01)),
                STEP_BEGAN);

        assertThat(worse).get().extracting(Decision::action).isEqualTo("roll_back");
        assertThat(worse.get().reason())
                .startsWith("the challenger's roc_auc 0.7000 is worse than the champion's"
                        + " 0.8000 by 0.1000, more than max_degradation 0.02 (p = ");
        assertThat(within).get().extracting(Decision::action).isEqualTo("advance");
    }

    @Test
    void aStepShortOfItsEvidenceWaitsThenPausesAfterItsMaximumDuration() {
        RolloutStats.VersionView champion = version(1, "champion", 5_000, 0, 2.0, quality(0.8, 0.01));
        RolloutStats.VersionView challenger = version(2, "challenger", 300, 0, 2.0, quality(0.8, 0.01));

        assertThat(decide(canary(GUARDS), champion, challenger, STEP_BEGAN.plus(Duration.ofMinutes(29))))
                .isEmpty();
        Optional<Decision> late = decide(canary(GUARDS), champion, challenger, STEP_BEGAN.plus(Duration.ofMinutes(31)));
        assertThat(late).get().extracting(Decision::action).isEqualTo("pause");
        assertThat(late.get().reason())
                .isEqualTo("step 0 waited PT30M for its evidence and has 300 of 500 requests and 200 of 200 labels:"
                        + " paused for a person to decide");
    }

    @Test
    void aStepCountsOnlyWhatItsRevisionAssignedNotTheEarlierSteps() {
        Rollout rollout = canary(GUARDS);
        Rollout second = TestRollouts.rollout(
                rollout.id(),
                rollout.model(),
                rollout.strategy(),
                rollout.state(),
                2,
                1,
                rollout.arms(),
                rollout.spec(),
                STEP_BEGAN,
                STEP_BEGAN,
                List.of());
        RolloutStats.VersionView full = version(2, "challenger", 1_000, 0, 2.0, quality(0.8, 0.01));
        // revision 1 (step 0) assigned the challenger 900 requests and 190 labelled ones; revision 2, the rest
        RolloutStats.VersionView challenger = new RolloutStats.VersionView(
                2,
                "challenger",
                1_000,
                0,
                0,
                1_000,
                full.totalMs(),
                full.inferenceMs(),
                full.quality(),
                Map.of(
                        1, new RolloutStats.RevisionCounts(900, 190),
                        2, new RolloutStats.RevisionCounts(100, 10)));
        RolloutStats.VersionView champion = version(1, "champion", 5_000, 0, 2.0, quality(0.8, 0.01));

        assertThat(decide(second, champion, challenger, STEP_BEGAN.plusSeconds(60)))
                .as("100 of 500 requests and 10 of 200 labels in step 1")
                .isEmpty();
    }

    @Test
    void guardsAreNotJudgedBeforeEachVersionHasEnoughEvidence() {
        Optional<Decision> decision = decide(
                canary(GUARDS),
                version(1, "champion", 50, 0, 2.0, null),
                version(2, "challenger", 50, 40, 9.0, null),
                STEP_BEGAN);

        assertThat(decision).isEmpty();
    }

    @Test
    void aBlueGreenSwitchIsRolledBackOnAFailedGuardAndOtherwiseLeftToAPerson() {
        Rollout blueGreen = TestRollouts.rollout(
                3,
                "fraud",
                "blue_green",
                "running",
                1,
                null,
                List.of(new Rollout.Arm(1, "champion", 0), new Rollout.Arm(2, "challenger", 100)),
                new Rollout.Spec(List.of(), GUARDS, null, null),
                STEP_BEGAN,
                STEP_BEGAN,
                List.of());
        RolloutStats.VersionView champion = version(1, "champion", 0, 0, 2.0, null);

        assertThat(decide(blueGreen, champion, version(2, "challenger", 900, 100, 2.0, null), STEP_BEGAN))
                .get()
                .extracting(Decision::action)
                .isEqualTo("roll_back");
        assertThat(decide(blueGreen, champion, version(2, "challenger", 1_000, 0, 2.0, null), STEP_BEGAN))
                .isEmpty();
    }

    @Test
    void anAbTestPausesOnASampleRatioMismatchBeforeItComparesAnything() {
        SplittableRandom random = new SplittableRandom(3);
        Rollout test = abTest(2, 3);
        RolloutStats.View evidence = evidence(
                test,
                version(
                        1,
                        "champion",
                        5_000,
                        0,
                        2.0,
                        AbTestTest.arm(random, 4_000, 0.5).snapshot().view()),
                version(
                        2,
                        "challenger",
                        2_000,
                        0,
                        2.0,
                        AbTestTest.arm(random, 2_000, 1.0).snapshot().view()),
                version(
                        3,
                        "challenger",
                        2_600,
                        0,
                        2.0,
                        AbTestTest.arm(random, 2_000, 0.5).snapshot().view()));

        Object analysis = Decision.analyse(test, evidence, SETTINGS);
        Optional<Decision> decision = Decision.decide(test, evidence, analysis, STEP_BEGAN, SETTINGS);

        assertThat(decision).get().extracting(Decision::action).isEqualTo("pause");
        assertThat(decision.get().reason()).startsWith("sample ratio mismatch: units [5000, 2000, 2600]");
    }

    @Test
    void anAbTestPromotesTheChallengerItFindsBetterAndRollsBackAGuardFailingOne() {
        SplittableRandom random = new SplittableRandom(4);
        Rollout test = abTest(2, 3);
        Quality.View champion = AbTestTest.arm(random, 4_000, 0.5).snapshot().view();
        Quality.View better = AbTestTest.arm(random, 2_000, 1.0).snapshot().view();
        Quality.View same = AbTestTest.arm(random, 2_000, 0.5).snapshot().view();
        RolloutStats.View evidence = evidence(
                test,
                version(1, "champion", 5_000, 0, 2.0, champion),
                version(2, "challenger", 2_500, 0, 2.0, better),
                version(3, "challenger", 2_500, 0, 2.0, same));

        Optional<Decision> decision =
                Decision.decide(test, evidence, Decision.analyse(test, evidence, SETTINGS), STEP_BEGAN, SETTINGS);

        assertThat(decision).get().extracting(Decision::action).isEqualTo("promote");
        assertThat(decision.get().version()).isEqualTo(2);
        assertThat(decision.get().reason())
                .startsWith("version 2's roc_auc")
                .contains("better than the champion's")
                .contains("always-valid p = ");
        assertThat(decision.get().evidence()).containsKeys("test", "guards");

        RolloutStats.View slow = evidence(
                test,
                version(1, "champion", 5_000, 0, 2.0, champion),
                version(2, "challenger", 2_500, 0, 2.0, better),
                version(3, "challenger", 2_500, 0, 9.0, same));
        Optional<Decision> rolledBack =
                Decision.decide(test, slow, Decision.analyse(test, slow, SETTINGS), STEP_BEGAN, SETTINGS);
        assertThat(rolledBack).get().extracting(Decision::action).isEqualTo("roll_back");
        assertThat(rolledBack.get().reason()).startsWith("version 3: the challenger's p99");
    }

    private static Rollout abTest(int... challengers) {
        List<Rollout.Arm> arms = new ArrayList<>();
        arms.add(new Rollout.Arm(1, "champion", 50));
        for (int version : challengers) {
            arms.add(new Rollout.Arm(version, "challenger", 50.0 / challengers.length));
        }
        return TestRollouts.rollout(
                9,
                "fraud",
                "ab_test",
                "running",
                1,
                null,
                arms,
                new Rollout.Spec(List.of(), GUARDS, new Rollout.Test("roc_auc", 0.05, 0.8, 0.02, null), null),
                STEP_BEGAN,
                STEP_BEGAN,
                List.of());
    }

    private static RolloutStats.View evidence(Rollout rollout, RolloutStats.VersionView... versions) {
        return new RolloutStats.View(
                "fraud", rollout.id(), STEP_BEGAN, STEP_BEGAN, List.of(versions), 1, null, List.of(), null);
    }

    private static Optional<Decision> decide(
            Rollout rollout, RolloutStats.VersionView champion, RolloutStats.VersionView challenger, Instant now) {
        RolloutStats.View evidence = new RolloutStats.View(
                "fraud", rollout.id(), STEP_BEGAN, now, List.of(champion, challenger), 1, null, List.of(), null);
        return Decision.decide(rollout, evidence, null, now, SETTINGS);
    }

    private static Rollout canary(Rollout.Guards guards) {
        return TestRollouts.rollout(
                7,
                "fraud",
                "canary",
                "running",
                1,
                0,
                List.of(new Rollout.Arm(1, "champion", 90), new Rollout.Arm(2, "challenger", 10)),
                new Rollout.Spec(
                        List.of(
                                new Rollout.Step(10.0, 500L, 200L, Duration.ofMinutes(30)),
                                new Rollout.Step(50.0, 500L, 200L, null)),
                        guards,
                        null,
                        null),
                STEP_BEGAN,
                STEP_BEGAN,
                List.of());
    }

    private static RolloutStats.VersionView version(
            int version, String role, long requests, long errors, double p99, Quality.View quality) {
        Latency.Quantiles latency = new Latency.Quantiles(requests, p99 / 2, p99, p99 * 2);
        return new RolloutStats.VersionView(
                version,
                role,
                requests,
                errors,
                requests + errors == 0 ? 0 : (double) errors / (requests + errors),
                requests + errors,
                latency,
                latency,
                quality,
                // the canary's revision 1 assigned them all
                Map.of(1, new RolloutStats.RevisionCounts(requests, quality == null ? 0 : quality.labels())));
    }

    private static Quality.View quality(double rocAuc, double error) {
        return new Quality.View(200, 0.1, 180, 0.3, 0.01, 0.0, 0.01, rocAuc, error, 0.5, 0.02);
    }
}
