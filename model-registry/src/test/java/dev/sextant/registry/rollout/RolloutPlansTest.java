package dev.sextant.registry.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.registry.model.ModelVersionView;
import dev.sextant.registry.model.VersionMetadata;
import dev.sextant.registry.signature.Signature;
import dev.sextant.registry.signature.TensorSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class RolloutPlansTest {

    private static final Signature THREE_INPUTS = signature(3);
    private static final ModelVersionView CHAMPION = version(1, THREE_INPUTS, "request:amount_zscore");
    private static final Map<Integer, ModelVersionView> VERSIONS = Map.of(
            1, CHAMPION,
            2, version(2, THREE_INPUTS, "request:amount_zscore"),
            3, version(3, THREE_INPUTS, "request:amount_zscore"),
            4, version(4, signature(4), "request:amount_zscore"),
            5, version(5, THREE_INPUTS, "request:amount"));
    private static final IntFunction<Optional<ModelVersionView>> LOOKUP =
            version -> Optional.ofNullable(VERSIONS.get(version));

    @Test
    void aCanaryStartsAtItsFirstStepWithTheShadowShareOfThatStep() {
        RolloutSpec spec = new RolloutSpec(
                "canary",
                List.of(2),
                new RolloutSpec.Shadow(3, 0.5),
                "card_id",
                List.of(step(0, 1.0), step(5, null), step(50, null)),
                null,
                null,
                null,
                "retrained after drift");

        RolloutPlans.Plan plan = RolloutPlans.check(spec, CHAMPION, LOOKUP);

        assertThat(plan.arms())
                .containsExactly(new Rollout.Arm(1, "champion", 100), new Rollout.Arm(2, "challenger", 0));
        assertThat(plan.shadow()).isEqualTo(new Rollout.ShadowArm(3, 1.0));
        assertThat(plan.step()).isZero();
    }

    @Test
    void anAbTestSplitsEquallyUnlessItsWeightsSayOtherwiseAndABanditStartsEqual() {
        RolloutSpec.Test test = new RolloutSpec.Test("log_loss", 0.05, 0.8, 0.01, null, true);
        RolloutPlans.Plan equal = RolloutPlans.check(
                new RolloutSpec("ab_test", List.of(2, 3), null, null, null, null, test, null, null), CHAMPION, LOOKUP);
        assertThat(equal.arms()).extracting(Rollout.Arm::weight).containsExactly(100.0 / 3, 100.0 / 3, 100.0 / 3);

        RolloutSpec.Test weighted = new RolloutSpec.Test("log_loss", 0.05, 0.8, 0.01, List.of(80.0, 20.0), false);
        assertThat(RolloutPlans.check(
                                new RolloutSpec("ab_test", List.of(2), null, null, null, null, weighted, null, null),
                                CHAMPION,
                                LOOKUP)
                        .arms())
                .containsExactly(new Rollout.Arm(1, "champion", 80), new Rollout.Arm(2, "challenger", 20));

        RolloutSpec.Bandit bandit = new RolloutSpec.Bandit("correct_decision", 0.1, Duration.ofMinutes(1));
        assertThat(RolloutPlans.check(
                                new RolloutSpec("bandit", List.of(2), null, null, null, null, null, bandit, null),
                                CHAMPION,
                                LOOKUP)
                        .arms())
                .extracting(Rollout.Arm::weight)
                .containsExactly(50.0, 50.0);
    }

    @Test
    void aVersionThatCannotAnswerTheChampionsRequestsIsRefusedNamingTheField() {
        assertRefused(canary(4), 422, "challengers[0]: version 4 takes other inputs than the champion (version 1)");
        assertRefused(
                canary(5),
                422,
                "challengers[0]: version 5 reads request fields [amount], the champion (version 1) [amount_zscore]");
        assertRefused(canary(1), 422, "challengers[0]: version 1 is the champion");
        assertRefused(canary(9), 422, "challengers[0]: model 'fraud' has no version 9");
        assertRefused(
                new RolloutSpec(
                        "shadow", List.of(), new RolloutSpec.Shadow(4, 1.0), null, null, null, null, null, null),
                422,
                "shadow.version: version 4 takes other inputs");
    }

    @Test
    void malformedFieldsAre400sNamingTheField() {
        assertRefused(
                new RolloutSpec("linear", List.of(2), null, null, null, null, null, null, null),
                400,
                "strategy must be one of [ab_test, bandit, blue_green, canary, shadow], got 'linear'");
        assertRefused(
                new RolloutSpec("canary", List.of(2, 3), null, null, List.of(step(1, null)), null, null, null, null),
                400,
                "challengers must name exactly one version for strategy canary, got 2");
        assertRefused(
                new RolloutSpec(
                        "canary",
                        List.of(2),
                        null,
                        null,
                        List.of(step(10, null), step(5, null)),
                        null,
                        null,
                        null,
                        null),
                400,
                "steps[1].weight 5.0 is below the step before (10.0)");
        assertRefused(
                new RolloutSpec("canary", List.of(2), null, null, List.of(step(1, 0.5)), null, null, null, null),
                400,
                "steps[0].shadow_share needs a shadow");
        assertRefused(
                new RolloutSpec("canary", List.of(2), null, "card id", List.of(step(1, null)), null, null, null, null),
                400,
                "key must name a request field");
        assertRefused(
                new RolloutSpec(
                        "ab_test",
                        List.of(2),
                        null,
                        null,
                        null,
                        null,
                        new RolloutSpec.Test("log_loss", 0.05, 0.8, 0.01, List.of(60.0, 30.0), true),
                        null,
                        null),
                400,
                "test.weights must sum to 100, got 90.0");
        assertRefused(
                new RolloutSpec(
                        "ab_test",
                        List.of(2),
                        null,
                        null,
                        null,
                        null,
                        new RolloutSpec.Test("log_loss", 0.5, 0.8, 0.01, null, true),
                        null,
                        null),
                400,
                "test.alpha must be between 0.0 and 0.5 (exclusive), got 0.5");
        assertRefused(
                new RolloutSpec(
                        "bandit",
                        List.of(2, 3),
                        null,
                        null,
                        null,
                        null,
                        null,
                        new RolloutSpec.Bandit("correct_decision", 0.5, Duration.ofMinutes(1)),
                        null),
                400,
                "bandit.exploration_floor must be between 0 and 1/3");
        assertRefused(
                new RolloutSpec(
                        "canary",
                        List.of(2),
                        null,
                        null,
                        List.of(step(1, null)),
                        new RolloutSpec.Guards(0.5, null, null),
                        null,
                        null,
                        null),
                400,
                "guards.max_latency_ratio must be a number of at least 1, got 0.5");
    }

    private static void assertRefused(RolloutSpec spec, int status, String detail) {
        ApiProblems.assertRefused(() -> RolloutPlans.check(spec, CHAMPION, LOOKUP), status, detail);
    }

    private static RolloutSpec canary(int challenger) {
        return new RolloutSpec(
                "canary", List.of(challenger), null, null, List.of(step(1, null)), null, null, null, null);
    }

    private static RolloutSpec.Step step(double weight, Double shadowShare) {
        return new RolloutSpec.Step(weight, shadowShare, null, null, null);
    }

    private static Signature signature(long inputs) {
        return new Signature(
                List.of(new TensorSpec("features", TensorSpec.TENSOR, "FP32", List.of(-1L, inputs), null)),
                List.of(new TensorSpec("probability", TensorSpec.TENSOR, "FP32", List.of(-1L, 1L), null)));
    }

    private static ModelVersionView version(int version, Signature signature, String requestRef) {
        List<VersionMetadata.FeatureBinding> features = List.of(
                new VersionMetadata.FeatureBinding(requestRef, JsonNodeFactory.instance.numberNode(0)),
                new VersionMetadata.FeatureBinding(
                        "card_txn_stats:txn_count_1h", JsonNodeFactory.instance.numberNode(0)));
        return new ModelVersionView(
                "fraud",
                version,
                "0".repeat(64),
                100,
                signature,
                null,
                Map.of(),
                Map.of(),
                null,
                features,
                null,
                List.of(),
                Instant.EPOCH,
                "test");
    }
}
