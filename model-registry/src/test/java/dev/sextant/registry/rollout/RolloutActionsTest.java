package dev.sextant.registry.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutActionsTest {

    private static final RolloutSpec CANARY = new RolloutSpec(
            "canary",
            List.of(2),
            new RolloutSpec.Shadow(2, 1.0),
            "card_id",
            List.of(
                    new RolloutSpec.Step(0.0, null, null, null, null),
                    new RolloutSpec.Step(10.0, 0.0, 1000L, 200L, Duration.ofMinutes(30))),
            null,
            null,
            null,
            null);

    @Test
    void aCanaryAdvancesStepByStepAndIsPromotedAfterItsLastStep() {
        Rollout atShadow =
                rollout(CANARY, Rollout.State.RUNNING, 3, List.of(arm(1, "champion", 100), arm(2, "challenger", 0)), 0);

        RolloutActions.Transition second = RolloutActions.apply(atShadow, action("advance", 3));
        assertThat(second.state()).isEqualTo(Rollout.State.RUNNING);
        assertThat(second.arms()).containsExactly(arm(1, "champion", 90), arm(2, "challenger", 10));
        assertThat(second.shadow()).isEqualTo(new Rollout.ShadowArm(2, 0.0));
        assertThat(second.step()).isEqualTo(1);
        assertThat(second.promoted()).isNull();

        Rollout atLastStep = rollout(CANARY, Rollout.State.RUNNING, 4, second.arms(), 1);
        RolloutActions.Transition promoted = RolloutActions.apply(atLastStep, action("advance", 4));
        assertThat(promoted.state()).isEqualTo(Rollout.State.PROMOTED);
        assertThat(promoted.arms()).containsExactly(arm(2, "champion", 100));
        assertThat(promoted.shadow()).isNull();
        assertThat(promoted.promoted()).isEqualTo(2);
    }

    @Test
    void rollingBackOrAbortingSendsEveryRequestToTheChampionAndPromotesNothing() {
        Rollout running =
                rollout(CANARY, Rollout.State.PAUSED, 2, List.of(arm(1, "champion", 90), arm(2, "challenger", 10)), 1);

        for (String action : List.of("roll_back", "abort")) {
            RolloutActions.Transition ended = RolloutActions.apply(running, action(action, 2));
            assertThat(ended.state().active()).isFalse();
            assertThat(ended.arms()).containsExactly(arm(1, "champion", 100));
            assertThat(ended.shadow()).isNull();
            assertThat(ended.promoted()).isNull();
        }
    }

    @Test
    void anActionDecidedOnAnOlderRevisionOrOnAnEndedRolloutIsAConflict() {
        Rollout running =
                rollout(CANARY, Rollout.State.RUNNING, 5, List.of(arm(1, "champion", 90), arm(2, "challenger", 10)), 1);
        assertRefused(
                running, action("advance", 4), 409, "rollout 7 is at revision 5, the action was decided on revision 4");

        Rollout ended = rollout(CANARY, Rollout.State.ROLLED_BACK, 6, List.of(arm(1, "champion", 100)), 1);
        assertRefused(ended, action("resume", 6), 409, "rollout 7 has ended (rolled_back)");
        assertRefused(running, action("resume", 5), 409, "is running, not paused");

        Rollout paused = rollout(CANARY, Rollout.State.PAUSED, 5, running.arms(), 1);
        assertRefused(paused, action("advance", 5), 409, "rollout 7 is paused: resume it before it can advance");
    }

    @Test
    void aBanditIsReweighedWithinItsExplorationFloorAndOnlyABanditIs() {
        RolloutSpec spec = new RolloutSpec(
                "bandit",
                List.of(2, 3),
                null,
                null,
                null,
                null,
                null,
                new RolloutSpec.Bandit("correct_decision", 0.1, Duration.ofMinutes(1)),
                null);
        Rollout bandit = rollout(
                spec,
                Rollout.State.RUNNING,
                1,
                List.of(
                        arm(1, "champion", 100.0 / 3),
                        arm(2, "challenger", 100.0 / 3),
                        arm(3, "challenger", 100.0 / 3)),
                null);

        RolloutActions.Transition reweighed = RolloutActions.apply(
                bandit, new RolloutActions.Action("reweigh", 1, null, null, List.of(20.0, 70.0, 10.0), null));
        assertThat(reweighed.arms())
                .containsExactly(arm(1, "champion", 20), arm(2, "challenger", 70), arm(3, "challenger", 10));

        assertRefused(
                bandit,
                new RolloutActions.Action("reweigh", 1, null, null, List.of(25.0, 70.0, 5.0), null),
                400,
                "weights[2] must be at least 10.0 (the exploration floor), got 5.0");
        assertRefused(bandit, action("advance", 1), 422, "advance applies to canary rollouts; rollout 7 is bandit");
        assertRefused(bandit, action("promote", 1), 400, "version is required: rollout 7 has 2 challengers");
        assertRefused(
                bandit,
                new RolloutActions.Action("promote", 1, null, 9, null, null),
                422,
                "version 9 is neither a challenger nor the shadow of rollout 7");
        assertThat(RolloutActions.apply(bandit, new RolloutActions.Action("promote", 1, null, 3, null, null))
                        .promoted())
                .isEqualTo(3);
    }

    @Test
    void anUnknownActionOrOneWithoutItsRevisionIsABadRequest() {
        Rollout running =
                rollout(CANARY, Rollout.State.RUNNING, 1, List.of(arm(1, "champion", 100), arm(2, "challenger", 0)), 0);
        assertRefused(
                running,
                action("jump", 1),
                400,
                "action must be one of [abort, advance, pause, promote, resume, reweigh, roll_back], got 'jump'");
        assertRefused(
                running, new RolloutActions.Action("pause", null, null, null, null, null), 400, "revision is required");
    }

    private static void assertRefused(Rollout rollout, RolloutActions.Action action, int status, String detail) {
        ApiProblems.assertRefused(() -> RolloutActions.apply(rollout, action), status, detail);
    }

    private static RolloutActions.Action action(String action, int revision) {
        return new RolloutActions.Action(action, revision, null, null, null, null);
    }

    private static Rollout.Arm arm(int version, String role, double weight) {
        return new Rollout.Arm(version, role, weight);
    }

    private static Rollout rollout(
            RolloutSpec spec, Rollout.State state, int revision, List<Rollout.Arm> arms, Integer step) {
        Rollout.ShadowArm shadow = spec.shadow() == null
                ? null
                : new Rollout.ShadowArm(spec.shadow().version(), 1.0);
        return new Rollout(
                7,
                "fraud",
                spec.strategy(),
                state,
                revision,
                spec.key(),
                "fraud/salt",
                arms,
                shadow,
                step,
                spec,
                Instant.EPOCH,
                "test",
                Instant.EPOCH,
                "test",
                null,
                null);
    }
}
