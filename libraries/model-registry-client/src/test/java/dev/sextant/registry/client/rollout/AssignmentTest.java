package dev.sextant.registry.client.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.registry.client.rollout.Assignment.Arm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssignmentTest {

    static final int KEYS = 100_000;
    private static final String SALT = "fraud-2026";

    @Test
    void sharesFollowTheWeightsWithinStatisticalToleranceOver100000Keys() {
        Assignment assignment = Assignment.of(SALT, List.of(new Arm(1, 89), new Arm(2, 10), new Arm(3, 1)));

        Map<Integer, Integer> counts = counts(assignment);

        assertShare(counts.getOrDefault(1, 0), 0.89);
        assertShare(counts.getOrDefault(2, 0), 0.10);
        assertShare(counts.getOrDefault(3, 0), 0.01);
    }

    @Test
    void aKeyGetsTheSameVersionEveryTimeAndFromEveryReplica() {
        List<Arm> arms = List.of(new Arm(4, 50), new Arm(5, 50));
        Assignment replicaA = Assignment.of(SALT, arms);
        Assignment replicaB = Assignment.of(SALT, List.copyOf(arms));

        for (int i = 0; i < KEYS; i++) {
            String key = key(i);
            int first = replicaA.version(key);
            assertThat(replicaA.version(key)).isEqualTo(first);
            assertThat(replicaB.version(key)).as(key).isEqualTo(first);
        }
    }

    @Test
    void growingTheChallengersWeightNeverReassignsTheKeysItAlreadyHoldsNorMovesOthersBetweenArms() {
        double[] steps = {1, 5, 10, 25, 50, 100};
        int[] before = assignAll(Assignment.of(SALT, List.of(new Arm(1, 60), new Arm(2, 40), new Arm(3, 0))));
        for (double step : steps) {
            int[] after = assignAll(Assignment.of(SALT, List.of(new Arm(1, 60), new Arm(2, 40), new Arm(3, step))));
            int moved = 0;
            for (int i = 0; i < KEYS; i++) {
                if (before[i] == 3) {
                    assertThat(after[i]).as("%s held by the challenger", key(i)).isEqualTo(3);
                } else if (after[i] != before[i]) {
                    assertThat(after[i])
                            .as("%s moved from %d", key(i), before[i])
                            .isEqualTo(3);
                    moved++;
                }
            }
            assertThat(moved).as("keys moved at weight %s", step).isPositive();
            before = after;
        }
    }

    @Test
    void loweringAWeightMovesKeysOnlyAwayFromThatArm() {
        int[] before = assignAll(Assignment.of(SALT, List.of(new Arm(1, 50), new Arm(2, 50))));
        int[] after = assignAll(Assignment.of(SALT, List.of(new Arm(1, 50), new Arm(2, 5))));

        for (int i = 0; i < KEYS; i++) {
            if (before[i] == 1) {
                assertThat(after[i]).as(key(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void anArmOfWeightZeroGetsNothingAndAddingItMovesNothing() {
        int[] two = assignAll(Assignment.of(SALT, List.of(new Arm(1, 90), new Arm(2, 10))));
        int[] three = assignAll(Assignment.of(SALT, List.of(new Arm(1, 90), new Arm(2, 10), new Arm(3, 0))));

        assertThat(three).isEqualTo(two);
        assertThat(counts(Assignment.of(SALT, List.of(new Arm(1, 0), new Arm(2, 100)))))
                .containsExactly(Map.entry(2, KEYS));
    }

    @Test
    void twoRolloutsWithDifferentSaltsSplitTheSameKeysIndependently() {
        List<Arm> arms = List.of(new Arm(1, 50), new Arm(2, 50));
        Assignment first = Assignment.of("rollout-a", arms);
        Assignment second = Assignment.of("rollout-b", arms);

        int both = 0;
        for (int i = 0; i < KEYS; i++) {
            if (first.version(key(i)) == 2 && second.version(key(i)) == 2) {
                both++;
            }
        }
        // independent halves: a quarter of the keys are in both challengers
        assertShare(both, 0.25);
    }

    @Test
    void theDigestIsPlainSha256OfSaltVersionAndKeySoItCanBeRecomputedAnywhere() {
        // printf 'fraud-2026\0%s\0%s' 7 card-1 | sha256sum: aee5a32b81df08b6..., top 53 bits + 0.5 over 2^53
        assertThat(Assignment.unit(SALT, 7, "card-1")).isEqualTo(0.6831914883822459);
        assertThat(Assignment.unit(SALT, 8, "card-1")).isEqualTo(0.6260210302961677);
        // the arm with the smaller -ln(u) / weight wins: version 7 at equal weights
        assertThat(Assignment.of(SALT, List.of(new Arm(7, 1), new Arm(8, 1))).version("card-1"))
                .isEqualTo(7);
        assertThat(Assignment.of(SALT, List.of(new Arm(7, 1), new Arm(8, 2))).version("card-1"))
                .isEqualTo(8);
    }

    @Test
    void refusesArmsAndSaltsThatCannotAssignNamingTheField() {
        assertThatThrownBy(() -> Assignment.of(" ", List.of(new Arm(1, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("salt must not be blank");
        assertThatThrownBy(() -> Assignment.of(SALT, List.of())).hasMessage("arms must name at least one version");
        assertThatThrownBy(() -> Assignment.of(SALT, List.of(new Arm(1, 1), new Arm(1, 2))))
                .hasMessage("arms[1].version: version 1 is already an arm");
        assertThatThrownBy(() -> Assignment.of(SALT, List.of(new Arm(1, 1), new Arm(2, -1))))
                .hasMessage("arms[1].weight must be a finite number of at least 0, got -1.0");
        assertThatThrownBy(() -> Assignment.of(SALT, List.of(new Arm(1, Double.NaN))))
                .hasMessage("arms[0].weight must be a finite number of at least 0, got NaN");
        assertThatThrownBy(() -> Assignment.of(SALT, List.of(new Arm(1, 0), new Arm(2, 0))))
                .hasMessage("arms: at least one weight must be above 0");
    }

    /** Within 4.5 standard deviations of a binomial count: a false alarm about once in 150,000 runs. */
    static void assertShare(int count, double share) {
        double sigma = Math.sqrt(KEYS * share * (1 - share));
        assertThat((double) count).isCloseTo(KEYS * share, within(4.5 * sigma));
    }

    private static Map<Integer, Integer> counts(Assignment assignment) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int version : assignAll(assignment)) {
            counts.merge(version, 1, Integer::sum);
        }
        return counts;
    }

    private static int[] assignAll(Assignment assignment) {
        int[] versions = new int[KEYS];
        for (int i = 0; i < KEYS; i++) {
            versions[i] = assignment.version(key(i));
        }
        return versions;
    }

    static String key(int i) {
        return "card-" + i;
    }
}
