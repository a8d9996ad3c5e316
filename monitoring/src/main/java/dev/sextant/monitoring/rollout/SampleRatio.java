package dev.sextant.monitoring.rollout;

import java.util.List;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * The sample-ratio-mismatch check of a fixed split: Pearson's chi-squared test of the units each arm was assigned
 * (distinct {@code assignment_unit}s: entities when the rollout has a key, requests when not) against the arms'
 * weights. A mismatch (p below {@code rollouts.srm-alpha}, 0.001 by default, as experimentation platforms use) means
 * the assignment or the logging lost or added units unevenly, and no comparison of the arms can be trusted. Units,
 * not requests, because assignment is by unit: an entity's requests all go to one arm, so request counts vary far
 * more than the multinomial the test assumes.
 *
 * @param units each arm's units, in arm order (when there are many, a uniform hash sample of them: see
 *     {@link RolloutStats})
 * @param weights each arm's weight, in percent
 * @param pValue {@code P(chi² >= chiSquared)} with {@code arms - 1} degrees of freedom
 * @param mismatch whether the check failed: enough units, and the p-value below alpha
 */
record SampleRatio(
        List<Long> units,
        List<Double> weights,
        double chiSquared,
        int degreesOfFreedom,
        double pValue,
        boolean mismatch) {

    static SampleRatio check(List<Long> units, List<Double> weights, long minUnits, double alpha) {
        long total = units.stream().mapToLong(Long::longValue).sum();
        double chiSquared = 0;
        int arms = 0;
        boolean unexpected = false;
        for (int i = 0; i < units.size(); i++) {
            double expected = total * weights.get(i) / 100;
            if (expected == 0) {
                // an arm without weight receives no unit
                unexpected |= units.get(i) > 0;
                continue;
            }
            double gap = units.get(i) - expected;
            chiSquared += gap * gap / expected;
            arms++;
        }
        int freedom = Math.max(arms - 1, 1);
        double p = unexpected ? 0 : ChiSquaredDistribution.of(freedom).survivalProbability(chiSquared);
        return new SampleRatio(
                List.copyOf(units), List.copyOf(weights), chiSquared, freedom, p, total >= minUnits && p < alpha);
    }
}
