package dev.sextant.registry.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;

/**
 * What a rollout is asked to do, as posted to {@code POST /api/v1/models/{name}/rollouts} and kept with it: the
 * strategy, the versions that take part, how requests are assigned to them, and the strategy's steps, guards, test
 * or bandit policy. Checked by {@link RolloutPlans}; the registry stores it, monitoring reads it to decide.
 *
 * @param strategy {@code blue_green}, {@code canary}, {@code ab_test}, {@code bandit} or {@code shadow}
 * @param challengers the versions that take traffic from the champion: one for blue-green and canary, one or more
 *     for an A/B test and a bandit, none for a shadow
 * @param shadow a version that scores a share of requests after the answer is sent, never answering them
 * @param key the request field whose value assigns a request (an entity key such as {@code card_id}); the request
 *     id when absent, so a request, not an entity, is the unit
 * @param steps a canary's steps, in order
 * @param guards what rolls a canary, a blue-green switch or a bandit back
 * @param test an A/B test's pre-registered design
 * @param bandit a bandit's policy
 * @param reason why the rollout starts (kept in its history too)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RolloutSpec(
        String strategy,
        List<Integer> challengers,
        Shadow shadow,
        String key,
        List<Step> steps,
        Guards guards,
        Test test,
        Bandit bandit,
        String reason) {

    /** @param share of requests the shadow scores, in (0, 1] */
    record Shadow(Integer version, Double share) {}

    /**
     * One canary step.
     *
     * @param weight the challenger's share of traffic in percent, [0, 100]; steps never lower it
     * @param shadowShare the shadow's share during the step, [0, 1] (the rollout's {@code shadow.share} when absent)
     * @param minRequests requests the challenger answers before the step may advance
     * @param minLabels labelled outcomes of the challenger's predictions before the step may advance
     * @param maxDuration how long the step waits for its evidence before the rollout pauses for a person
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Step(Double weight, Double shadowShare, Long minRequests, Long minLabels, Duration maxDuration) {}

    /**
     * @param maxLatencyRatio the challenger's live p99 over the champion's, at most
     * @param maxErrorRate the challenger's share of failed requests, at most
     * @param quality model quality on delayed labels
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Guards(Double maxLatencyRatio, Double maxErrorRate, Quality quality) {}

    /**
     * @param metric {@code roc_auc}, {@code pr_auc}, {@code log_loss} or {@code calibration}
     * @param maxDegradation how much worse than the champion the challenger may be before it is rolled back
     * @param alpha the significance level of the test that it is worse
     */
    record Quality(String metric, Double maxDegradation, Double alpha) {}

    /**
     * An A/B test's pre-registered design: the sample size follows from the metric, alpha, power and minimum
     * detectable effect.
     *
     * @param weights each arm's share in percent, champion first then the challengers in order (equal when absent)
     * @param sequential a sequential test, valid at every look (true), or a fixed-horizon test read once at the
     *     sample size
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Test(
            String metric,
            Double alpha,
            Double power,
            Double minimumDetectableEffect,
            List<Double> weights,
            Boolean sequential) {}

    /**
     * @param reward what a labelled prediction earns its arm: {@code correct_decision} (1 when the decision at the
     *     model's threshold matches the label) or {@code log_likelihood}
     * @param explorationFloor every arm's least share, in [0, 1 / arms]
     * @param updateInterval how often the weights are recomputed from the posterior
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Bandit(String reward, Double explorationFloor, Duration updateInterval) {}
}
