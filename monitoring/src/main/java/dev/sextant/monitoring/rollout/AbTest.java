package dev.sextant.monitoring.rollout;

import dev.sextant.registry.client.rollout.Rollout;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * An A/B test's statistics on delayed labels, a pure function of its pre-registered design and the rollout's
 * evidence: each challenger against the champion on the primary metric, at significance {@code alpha / challengers}
 * (Bonferroni), with the labels each arm needs and, when it is read, the verdict.
 *
 * <p>Sequential (the default): the mixture sequential probability ratio test of Johari, Pekelis and Walsh (2017,
 * "Always valid inference"), on the normal approximation of the difference {@code d} with variance {@code V}, and a
 * normal mixture of effects with standard deviation {@code tau} = the minimum detectable effect: the likelihood
 * ratio {@code L = sqrt(V / (V + tau²)) exp(tau² d² / (2 V (V + tau²)))}. {@code P(sup L >= 1/alpha) <= alpha} when
 * there is no difference (Ville's inequality), so the test may be read at every look: its p-value {@code 1/L} and
 * its confidence sequence {@code d ± sqrt(V (V + tau²) / tau² (2 ln(1/alpha) + ln((V + tau²) / V)))} are valid
 * whenever they are read. Its horizon is the least sample at which the last look alone reaches the power.
 *
 * <p>Fixed horizon: the two-sided z-test, read once, when both arms hold the sample size
 * {@code n = (z(1 - alpha/2) + z(power))² sigma² (1 + w_challenger / w_champion) / mde²} (the challenger's labels;
 * the champion's in proportion to its weight). Read before that, its p-value would overstate the evidence, so it is
 * shown but not acted on.
 *
 * <p>{@code sigma²}, the variance of one labelled prediction's contribution, is the champion's, as its standard error
 * on the labels so far implies ({@link Estimate#unitVariance}): the sample size is known once the champion has its
 * first {@code min-labels} labels, and is revised as they grow.
 */
final class AbTest {

    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    /** A sample beyond this is out of reach. */
    private static final long UNREACHABLE = 1_000_000_000_000L;

    /** The test as designed: alpha is the family's, shared among the challengers. */
    record Design(String metric, double alpha, double power, double minimumDetectableEffect, boolean sequential) {

        static Design of(Rollout.Test test) {
            return new Design(
                    test.metric(),
                    test.alpha() == null ? 0.05 : test.alpha(),
                    test.power() == null ? 0.8 : test.power(),
                    test.minimumDetectableEffect(),
                    test.sequential() == null || test.sequential());
        }

        String kind() {
            return sequential
                    ? "sequential: mixture SPRT, p-values and confidence intervals valid at every look"
                    : "fixed horizon: read once, when every arm has its sample size";
        }
    }

    /**
     * One challenger against the champion.
     *
     * @param champion the champion's metric; challenger the challenger's (null while either lacks its labels)
     * @param difference challenger less champion, in the metric's units
     * @param low the confidence interval of the difference at level {@code 1 - alpha}; high its upper end
     * @param pValue the test's p-value (sequential: always valid)
     * @param alpha the significance level of this comparison (the design's over the challengers)
     * @param labels the challenger's labelled predictions; championLabels the champion's
     * @param requiredLabels the challenger's labels the test needs (sequential: its horizon); null before the
     *     champion has enough labels to estimate it
     * @param requiredChampionLabels the champion's
     * @param verdict {@code better}, {@code worse}, {@code no_difference} (the horizon reached, no significant
     *     difference) or {@code collecting}
     */
    record Comparison(
            int version,
            Double champion,
            Double challenger,
            Double difference,
            Double low,
            Double high,
            Double pValue,
            double alpha,
            long labels,
            long championLabels,
            Long requiredLabels,
            Long requiredChampionLabels,
            String verdict) {

        boolean read() {
            return !"collecting".equals(verdict);
        }
    }

    /** An arm of the test: its version, weight in percent, and its labelled predictions' quality (null: none). */
    record Arm(int version, double weight, Quality.View quality) {}

    private AbTest() {}

    /**
     * @param champion the champion's arm; challengers each challenger's, in order
     * @param minLabels labels each arm has before it is compared
     */
    static List<Comparison> compare(Design design, Arm champion, List<Arm> challengers, long minLabels) {
        double alpha = design.alpha() / challengers.size();
        List<Comparison> comparisons = new ArrayList<>();
        for (Arm challenger : challengers) {
            comparisons.add(compare(design, alpha, champion, challenger, minLabels));
        }
        return comparisons;
    }

    private static Comparison compare(Design design, double alpha, Arm champion, Arm challenger, long minLabels) {
        long labels = labels(challenger);
        long championLabels = labels(champion);
        Estimate a = championLabels < minLabels ? null : Estimate.of(design.metric(), champion.quality());
        Estimate b = labels < minLabels ? null : Estimate.of(design.metric(), challenger.quality());
        Long required = null;
        Long requiredChampion = null;
        if (a != null && a.unitVariance() > 0) {
            double ratio = challenger.weight() / champion.weight();
            required = design.sequential()
                    ? sequentialHorizon(design, alpha, a.unitVariance() * (1 + ratio))
                    : fixedSampleSize(design, alpha, a.unitVariance() * (1 + ratio));
            requiredChampion = required == null ? null : (long) Math.ceil(required / ratio);
        }
        if (a == null || b == null) {
            return new Comparison(
                    challenger.version(),
                    a == null ? null : a.value(),
                    b == null ? null : b.value(),
                    null,
                    null,
                    null,
                    null,
                    alpha,
                    labels,
                    championLabels,
                    required,
                    requiredChampion,
                    "collecting");
        }
        double improvement = a.improvementOf(b);
        double variance = a.differenceVariance(b);
        double p;
        double half;
        if (design.sequential()) {
            double tau2 = design.minimumDetectableEffect() * design.minimumDetectableEffect();
            p = Math.min(1, Math.exp(-logLikelihoodRatio(improvement, variance, tau2)));
            half = Math.sqrt(variance
                    * (variance + tau2)
                    / tau2
                    * (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance)));
        } else {
            double z = variance == 0 ? Double.POSITIVE_INFINITY : Math.abs(improvement) / Math.sqrt(variance);
            p = Math.min(1, 2 * NORMAL.survivalProbability(z));
            half = NORMAL.inverseSurvivalProbability(alpha / 2) * Math.sqrt(variance);
        }
        boolean horizon = required != null && labels >= required && championLabels >= requiredChampion;
        String verdict;
        if (!design.sequential() && !horizon) {
            verdict = "collecting";
        } else if (p <= alpha) {
            verdict = improvement > 0 ? "better" : "worse";
        } else {
            verdict = horizon ? "no_difference" : "collecting";
        }
        double difference = b.value() - a.value();
        return new Comparison(
                challenger.version(),
                a.value(),
                b.value(),
                difference,
                difference - half,
                difference + half,
                p,
                alpha,
                labels,
                championLabels,
                required,
                requiredChampion,
                verdict);
    }

    /** {@code ln L} of the mixture SPRT; 0 (no evidence) when the variance is not yet known. */
    static double logLikelihoodRatio(double difference, double variance, double tau2) {
        if (!(variance > 0)) {
            return 0;
        }
        return 0.5 * Math.log(variance / (variance + tau2))
                + tau2 * difference * difference / (2 * variance * (variance + tau2));
    }

    /**
     * The fixed-horizon sample size of the challenger.
     *
     * @param unitVariance the variance of one challenger label's contribution to the difference, the champion's
     *     share of it included ({@code sigma² (1 + w_challenger / w_champion)})
     */
    static Long fixedSampleSize(Design design, double alpha, double unitVariance) {
        double z = NORMAL.inverseSurvivalProbability(alpha / 2) + NORMAL.inverseCumulativeProbability(design.power());
        double mde = design.minimumDetectableEffect();
        double n = Math.ceil(z * z * unitVariance / (mde * mde));
        return n > UNREACHABLE ? null : (long) n;
    }

    /** The least challenger sample at which the sequential test's last look alone has the power; null if none. */
    static Long sequentialHorizon(Design design, double alpha, double unitVariance) {
        long high = 1;
        while (sequentialPower(design, alpha, unitVariance, high) < design.power()) {
            high *= 2;
            if (high > UNREACHABLE) {
                return null;
            }
        }
        long low = high / 2;
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            if (sequentialPower(design, alpha, unitVariance, middle) >= design.power()) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return high;
    }

    /** The chance that the difference at the minimum detectable effect crosses the boundary at {@code n} labels. */
    private static double sequentialPower(Design design, double alpha, double unitVariance, long n) {
        double variance = unitVariance / n;
        double mde = design.minimumDetectableEffect();
        double tau2 = mde * mde;
        double boundary = Math.sqrt(variance
                * (variance + tau2)
                / tau2
                * (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance)));
        return NORMAL.cumulativeProbability((mde - boundary) / Math.sqrt(variance));
    }

    private static long labels(Arm arm) {
        return arm.quality() == null ? 0 : arm.quality().labels();
    }
}
