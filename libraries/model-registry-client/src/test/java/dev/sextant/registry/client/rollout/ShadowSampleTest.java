package dev.sextant.registry.client.rollout;

import static dev.sextant.registry.client.rollout.AssignmentTest.KEYS;
import static dev.sextant.registry.client.rollout.AssignmentTest.assertShare;
import static dev.sextant.registry.client.rollout.AssignmentTest.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.registry.client.rollout.Assignment.Arm;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShadowSampleTest {

    private static final String SALT = "fraud-2026";

    @Test
    void theShareOfKeysScoredFollowsTheShareWithinStatisticalTolerance() {
        for (double share : new double[] {0.01, 0.1, 0.5}) {
            ShadowSample sample = ShadowSample.of(SALT, share);
            int scored = 0;
            for (int i = 0; i < KEYS; i++) {
                scored += sample.scores(key(i)) ? 1 : 0;
            }
            assertShare(scored, share);
        }
    }

    @Test
    void aKeyIsAlwaysOrNeverShadowedAndRaisingTheShareOnlyAddsKeys() {
        ShadowSample small = ShadowSample.of(SALT, 0.1);
        ShadowSample large = ShadowSample.of(SALT, 0.4);
        for (int i = 0; i < KEYS; i++) {
            String key = key(i);
            assertThat(small.scores(key)).isEqualTo(small.scores(key));
            if (small.scores(key)) {
                assertThat(large.scores(key)).as(key).isTrue();
            }
        }
    }

    @Test
    void eachArmsRequestsAreShadowedInTheSameProportion() {
        Assignment assignment = Assignment.of(SALT, List.of(new Arm(1, 80), new Arm(2, 20)));
        ShadowSample sample = ShadowSample.of(SALT, 0.5);
        int challenger = 0;
        int shadowedChallenger = 0;
        for (int i = 0; i < KEYS; i++) {
            if (assignment.version(key(i)) == 2) {
                challenger++;
                shadowedChallenger += sample.scores(key(i)) ? 1 : 0;
            }
        }
        assertShare(shadowedChallenger, 0.2 * 0.5);
        assertThat((double) shadowedChallenger / challenger).isBetween(0.48, 0.52);
    }

    @Test
    void noneAtZeroAndAllAtOne() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(ShadowSample.of(SALT, 0).scores(key(i))).isFalse();
            assertThat(ShadowSample.of(SALT, 1).scores(key(i))).isTrue();
        }
    }

    @Test
    void refusesASaltOrShareThatCannotSampleNamingTheField() {
        assertThatThrownBy(() -> ShadowSample.of("", 0.5)).hasMessage("salt must not be blank");
        assertThatThrownBy(() -> ShadowSample.of(SALT, 1.5)).hasMessage("share must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> ShadowSample.of(SALT, Double.NaN))
                .hasMessage("share must be between 0 and 1, got NaN");
    }
}
