package dev.sextant.monitoring;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the monitoring service, under {@code sextant.monitoring}.
 *
 * @param registryUrl the model registry, where each version's reference distributions are
 * @param logsTopic the prediction logs topic
 * @param consumers consumer threads reading it (at most one per partition does work)
 * @param deadLetterTopic where records that are not readable prediction logs go, with the reason in a header
 * @param alertsTopic where severity changes are published (drift-alerts.v1)
 * @param retrain when drift asks the training orchestrator for a new model
 * @param performance online metrics from delayed labels
 * @param window how live values are grouped before they are judged
 * @param skew how training/serving skew is measured
 * @param dashboard what the web dashboard probes
 * @param thresholds default warn and alert levels per drift statistic (changed at run time through the API: see
 *     {@code ThresholdSettings})
 * @param quality warn and alert levels of the data-quality rates
 * @param features per feature reference (or {@code score}): thresholds that replace the defaults
 * @param settingsTopic the compacted topic where threshold changes made through the API are kept
 * @param referenceCacheSize model versions whose reference is kept in memory (the least recently used forgotten,
 *     and read from the registry again when needed)
 * @param rollouts the rollout controller
 */
@Validated
@ConfigurationProperties("sextant.monitoring")
public record MonitoringProperties(
        @NotNull URI registryUrl,
        @NotBlank String logsTopic,
        @Min(1) int consumers,
        @NotBlank String deadLetterTopic,
        @NotBlank String alertsTopic,
        @Valid @NotNull Retrain retrain,
        @Valid @NotNull Performance performance,
        @Valid @NotNull Window window,
        @Valid @NotNull Skew skew,
        @Valid @NotNull Dashboard dashboard,
        @Valid @NotNull Thresholds thresholds,
        @Valid @NotNull Quality quality,
        Map<String, @Valid Thresholds> features,
        @NotBlank String settingsTopic,
        @Min(1) int referenceCacheSize,
        @Valid @NotNull Rollouts rollouts) {

    /**
     * The rollout controller: how often it reads each model's running rollout and decides on its evidence.
     *
     * @param enabled whether it acts (off: the evidence is still kept and served)
     * @param interval how often it decides
     * @param minLiveSamples requests each version answers before its live latency and error rate are judged
     * @param minLabels labelled predictions each version has before its quality is judged
     * @param srmAlpha an A/B test's split check fails below this p-value (a sample-ratio mismatch)
     * @param banditConfidence a bandit ends once one arm is the best with this posterior probability, every arm
     *     having {@code minLabels} labels
     * @param maxPendingPredictions rollout predictions that wait for their labels, at most (about 40 bytes each;
     *     the oldest forgotten first)
     */
    public record Rollouts(
            boolean enabled,
            @NotNull Duration interval,
            @Min(1) long minLiveSamples,
            @Min(1) long minLabels,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "0.5") double srmAlpha,
            @DecimalMin(value = "0.5") @DecimalMax(value = "1", inclusive = false) double banditConfidence,
            @Min(1) int maxPendingPredictions) {}

    public MonitoringProperties {
        features = features == null ? Map.of() : Map.copyOf(features);
    }

    /**
     * Tumbling windows per model version, by event time: a window closes when it spans {@code duration} or holds
     * {@code count} predictions, whichever comes first ({@code count} 0: by time only).
     *
     * @param idle a window that receives nothing for this long (wall-clock time) closes, so a model whose traffic
     *     stopped still has its last window judged
     * @param dedupeRequests how many of the latest request ids are remembered: a log published twice within them
     *     is counted once (a record read twice is recognised by its offset, whatever this is)
     * @param minSamples fewer values than this in a closed window are reported but not judged
     * @param history closed windows kept per model version
     * @param maxOpen open windows at most (one per model version receiving logs): at the bound, opening another
     *     first closes, and so judges, the one that received a log longest ago
     */
    public record Window(
            @NotNull Duration duration,
            @Min(0) long count,
            @NotNull Duration idle,
            @Min(0) int dedupeRequests,
            @Min(1) long minSamples,
            @Min(1) int history,
            @Min(1) int maxOpen) {}

    /**
     * @param probeInterval how often each service's health and metrics are read
     * @param services each box of the diagram: its base URL (health and metrics under {@code /actuator})
     */
    public record Dashboard(@NotNull Duration probeInterval, @NotNull Map<String, URI> services) {}

    /** @param samples a version's first served predictions judged against its training reference, once */
    public record Skew(@Min(1) long samples) {}

    /**
     * @param topic retrain-requests.v1
     * @param afterWindows consecutive windows with an alerting column before a retrain is requested
     * @param cooldown at most one request per model in this time
     */
    public record Retrain(@NotBlank String topic, @Min(1) int afterWindows, @NotNull Duration cooldown) {}

    /**
     * @param labelsTopic labels.v1
     * @param labelsDeadLetterTopic where labels that cannot be read go, with the reason in a header
     * @param windowCount labelled predictions per performance window
     * @param threshold a score at or above it is a positive decision (precision, recall)
     * @param maxPendingPredictions predictions remembered while their labels are awaited (the oldest forgotten)
     * @param history performance windows kept per model version
     * @param minRocAuc a version whose ROC-AUC stays below it for {@code retrain.after-windows} windows is retrained
     */
    public record Performance(
            @NotBlank String labelsTopic,
            @NotBlank String labelsDeadLetterTopic,
            @Min(1) int windowCount,
            double threshold,
            @Min(1) int maxPendingPredictions,
            @Min(1) int history,
            double minRocAuc) {}

    /**
     * Data quality of a column in a window, as shares of its values.
     *
     * @param defaultedRate values the prediction service replaced by the binding's default (missing or stale)
     * @param nanRate values that were NaN or not numbers
     * @param outOfRangeRate values outside the training reference's [min, max]
     * @param unknownRate values of a few-valued column that the reference never had
     */
    public record Quality(Level defaultedRate, Level nanRate, Level outOfRangeRate, Level unknownRate) {}

    /**
     * Warn and alert levels of each drift statistic: a value at or above them raises that severity; for the
     * chi-squared test, a p-value at or below them. A null level (a per-feature override that leaves it out) takes the
     * default's.
     */
    public record Thresholds(Level psi, Level ks, Level jensenShannon, Level chiSquared) {

        /** The statistic judged by its p-value: lower is worse. */
        public static final String P_VALUE = "chi_squared_p_value";

        /** A statistic's levels, or null for one that is only reported (the chi-squared statistic itself). */
        public Level level(String statistic) {
            return switch (statistic) {
                case "psi" -> psi;
                case "ks" -> ks;
                case "jensen_shannon" -> jensenShannon;
                case P_VALUE -> chiSquared;
                default -> null;
            };
        }

        /** Whether a statistic's value reaches a threshold. */
        public static boolean reaches(String statistic, double value, double threshold) {
            return P_VALUE.equals(statistic) ? value <= threshold : value >= threshold;
        }

        /** How far along its alert level a value is: 1 at the level, more past it. */
        public double alertRatio(String statistic, double value) {
            double alert = level(statistic).alert();
            return P_VALUE.equals(statistic) ? alert / Math.max(value, Double.MIN_VALUE) : value / alert;
        }

        /** These levels, each missing one taken from the defaults. */
        public Thresholds over(Thresholds defaults) {
            return new Thresholds(
                    psi == null ? defaults.psi() : psi,
                    ks == null ? defaults.ks() : ks,
                    jensenShannon == null ? defaults.jensenShannon() : jensenShannon,
                    chiSquared == null ? defaults.chiSquared() : chiSquared);
        }
    }

    public record Level(double warn, double alert) {}

    /**
     * The topics of the service's own (the nested settings name theirs).
     *
     * @param logs prediction logs, read
     * @param deadLetter unreadable prediction logs, written
     * @param alerts severity changes, written
     * @param settings threshold changes, read and written
     */
    public record Topics(String logs, String deadLetter, String alerts, String settings) {}

    /** The topics of the service's own, as one value for the classes that use them. */
    public Topics topics() {
        return new Topics(logsTopic, deadLetterTopic, alertsTopic, settingsTopic);
    }
}
