package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.performance.OnlinePerformance;
import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.window.PredictionLog;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live evidence of one rollout, from the prediction logs that carry its id: per version, its role, requests,
 * errors and latency (the service's total and ONNX Runtime's inference, as logged), and its quality on delayed labels;
 * and how its shadow agrees with the answers.
 * Thread-safe: every method holds the rollout's lock, except the quality metrics of a view.
 */
public final class RolloutStats {

    static final int DECISIONS = 20;

    private final String model;
    private final long rollout;
    private final Instant firstSeen;
    private final Map<Integer, Arm> versions = new TreeMap<>();
    private final double threshold;
    private final int pendingPairs;
    private final Deque<Decided> decisions = new ArrayDeque<>();
    private Instant lastSeen;
    private Agreement agreement;
    private int shadowVersion;

    RolloutStats(String model, long rollout, Instant firstSeen, double threshold, int pendingPairs) {
        this.model = model;
        this.rollout = rollout;
        this.firstSeen = firstSeen;
        this.lastSeen = firstSeen;
        this.threshold = threshold;
        this.pendingPairs = pendingPairs;
    }

    long rollout() {
        return rollout;
    }

    synchronized void observe(PredictionLog log) {
        PredictionLog.Serving serving = log.serving();
        if (log.time().isAfter(lastSeen)) {
            lastSeen = log.time();
        }
        Arm arm = versions.computeIfAbsent(log.version(), version -> new Arm());
        arm.role = serving.role();
        if (serving.failed()) {
            arm.errors++;
            return;
        }
        arm.requests++;
        arm.total.add(serving.totalMs());
        arm.inference.add(serving.inferenceMs());
        if (serving.shadow() && agreement == null) {
            // answers are remembered for pairing from the rollout's first shadow log on
            agreement = new Agreement(threshold, pendingPairs);
            shadowVersion = log.version();
        }
        double[] scores = log.columns().get(ReferenceProfile.SCORE);
        if (agreement == null || scores == null) {
            return;
        }
        for (int row = 0; row < scores.length; row++) {
            String id = log.rowId(row, scores.length);
            if (serving.shadow()) {
                agreement.shadowed(id, scores[row]);
            } else {
                agreement.answered(id, scores[row]);
            }
        }
    }

    /** A decision the controller took on this rollout, the latest {@value #DECISIONS} kept. */
    synchronized void decided(int revision, Decision decision, Instant at) {
        decisions.addFirst(new Decided(at, revision, decision.action(), decision.reason()));
        while (decisions.size() > DECISIONS) {
            decisions.removeLast();
        }
    }

    /** A prediction of this rollout joined with its label. */
    synchronized void labelled(int version, OnlinePerformance.Labelled labelled) {
        versions.computeIfAbsent(version, v -> new Arm()).quality.add(labelled);
    }

    /** The evidence so far: copied under the lock, its quality metrics computed outside it. */
    View view() {
        record Copied(VersionView view, Quality.Snapshot quality) {}
        List<Copied> copied = new ArrayList<>();
        Instant last;
        Agreement.View agreed;
        List<Decided> decided;
        synchronized (this) {
            decided = List.copyOf(decisions);
            versions.forEach((version, arm) -> copied.add(new Copied(arm.view(version), arm.quality.snapshot())));
            last = lastSeen;
            agreed = agreement == null ? null : agreement.view(shadowVersion);
        }
        List<VersionView> views = copied.stream()
                .map(arm -> arm.quality() == null
                        ? arm.view()
                        : arm.view().withQuality(arm.quality().view()))
                .toList();
        return new View(model, rollout, firstSeen, last, views, agreed, decided);
    }

    private static final class Arm {
        String role;
        long requests;
        long errors;
        final Latency total = new Latency();
        final Latency inference = new Latency();
        final Quality quality = new Quality();

        /** What it has seen, but its quality (computed from its snapshot, outside the rollout's lock). */
        VersionView view(int version) {
            long all = requests + errors;
            return new VersionView(
                    version,
                    role,
                    requests,
                    errors,
                    all == 0 ? 0 : (double) errors / all,
                    total.quantiles(),
                    inference.quantiles(),
                    null);
        }
    }

    /**
     * @param rolloutId the registry's rollout id
     * @param firstSeen the time of its first prediction log seen; lastSeen, of its latest
     * @param versions per version, in version order
     * @param shadowAgreement the shadow against the answers; null without a shadow or before its first pair
     * @param decisions the controller's decisions on the rollout, the latest first
     */
    public record View(
            String model,
            long rolloutId,
            Instant firstSeen,
            Instant lastSeen,
            List<VersionView> versions,
            Agreement.View shadowAgreement,
            List<Decided> decisions) {}

    /** A decision the controller took: when, on which revision, the action and why. */
    public record Decided(Instant at, int revision, String action, String reason) {}

    /**
     * @param role {@code champion}, {@code challenger} or {@code shadow}
     * @param requests requests the version answered in the rollout (for a shadow: scored)
     * @param errors requests the version failed
     * @param errorRate errors over all its requests
     * @param totalMs the service's time per request (a shadow's: its own scoring); null when none was logged
     * @param inferenceMs ONNX Runtime's time per run
     * @param quality its predictions' quality on their delayed labels; null before the first label
     */
    public record VersionView(
            int version,
            String role,
            long requests,
            long errors,
            double errorRate,
            Latency.Quantiles totalMs,
            Latency.Quantiles inferenceMs,
            Quality.View quality) {

        VersionView withQuality(Quality.View measured) {
            return new VersionView(version, role, requests, errors, errorRate, totalMs, inferenceMs, measured);
        }
    }
}
