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
import java.util.stream.Collectors;
import org.apache.datasketches.theta.UpdateSketch;

/**
 * The live evidence of one rollout, from the prediction logs that carry its id: per version, its role, requests,
 * errors and latency (the service's total and ONNX Runtime's inference, as logged), the units it was assigned, and
 * its quality on delayed labels; how its shadow agrees with the answers; and the controller's latest analysis and
 * decisions. Units are counted exactly up to {@value #UNITS} per version in a Theta sketch (DataSketches), and
 * beyond that as a uniform sample: the units whose hash is below the smallest of the versions' sketch thresholds,
 * the same sample rate for every version, which is what the split's check needs ({@link SampleRatio}).
 * Thread-safe: every method holds the rollout's lock, except the quality metrics of a view.
 */
public final class RolloutStats {

    static final int DECISIONS = 20;

    /** Revisions whose counts each version keeps. */
    static final int REVISIONS = 50;

    /** Distinct units per version counted exactly, the nominal entries of its Theta sketch. */
    static final int UNITS = 1 << 14;

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
    private Object analysis;

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
        Arm arm = versions.computeIfAbsent(log.version(), version -> new Arm(threshold));
        arm.role = serving.role();
        if (!serving.shadow()) {
            arm.units.update(serving.unit() != null ? serving.unit() : log.requestId());
        }
        if (serving.failed()) {
            arm.errors++;
            return;
        }
        arm.requests++;
        arm.revision(serving.revision()).requests++;
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
        decisions.addFirst(new Decided(at, revision, decision.action(), decision.reason(), decision.weights()));
        while (decisions.size() > DECISIONS) {
            decisions.removeLast();
        }
    }

    /** The controller's latest analysis of the rollout (an A/B test's or a bandit's statistics), shown with it. */
    synchronized void analysed(Object latest) {
        analysis = latest;
    }

    /** A prediction of this rollout, made under its revision (null: unknown), joined with its label. */
    synchronized void labelled(int version, Integer revision, OnlinePerformance.Labelled labelled) {
        Arm arm = versions.computeIfAbsent(version, v -> new Arm(threshold));
        arm.quality.add(labelled);
        arm.revision(revision).labels++;
    }

    /**
     * The controller's earlier decisions, as the registry's history has them, when it has none of its own: after a
     * restart the evidence is read again, and its decisions come back from the registry.
     */
    synchronized void recall(List<Decided> earlier) {
        if (!decisions.isEmpty()) {
            return;
        }
        for (Decided decided : earlier) {
            if (decisions.size() == DECISIONS) {
                break;
            }
            decisions.addLast(decided);
        }
    }

    /** The evidence so far: copied under the lock, its quality metrics computed outside it. */
    View view() {
        record Copied(VersionView view, Quality.Snapshot quality) {}
        List<Copied> copied = new ArrayList<>();
        Instant last;
        Agreement.View agreed;
        List<Decided> decided;
        Object analysed;
        long theta = Long.MAX_VALUE;
        synchronized (this) {
            decided = List.copyOf(decisions);
            for (Arm arm : versions.values()) {
                if (!arm.units.isEmpty()) {
                    theta = Math.min(theta, arm.units.getThetaLong());
                }
            }
            for (Map.Entry<Integer, Arm> arm : versions.entrySet()) {
                copied.add(new Copied(
                        arm.getValue().view(arm.getKey(), theta),
                        arm.getValue().quality.snapshot()));
            }
            last = lastSeen;
            agreed = agreement == null ? null : agreement.view(shadowVersion);
            analysed = analysis;
        }
        List<VersionView> views = copied.stream()
                .map(arm -> arm.quality() == null
                        ? arm.view()
                        : arm.view().withQuality(arm.quality().view()))
                .toList();
        double rate = (double) theta / Long.MAX_VALUE;
        return new View(model, rollout, firstSeen, last, views, rate, agreed, decided, analysed);
    }

    private static final class Arm {
        String role;
        long requests;
        long errors;
        final UpdateSketch units =
                UpdateSketch.builder().setNominalEntries(UNITS).build();
        final Latency total = new Latency();
        final Latency inference = new Latency();
        final Quality quality;
        /** Requests answered and predictions labelled per revision, the latest {@value #REVISIONS} revisions. */
        final TreeMap<Integer, Counts> revisions = new TreeMap<>();

        Arm(double threshold) {
            quality = new Quality(threshold);
        }

        /** The counts of a revision (0: logs that name none). */
        Counts revision(Integer revision) {
            Counts counts = revisions.computeIfAbsent(revision == null ? 0 : revision, r -> new Counts());
            while (revisions.size() > REVISIONS) {
                revisions.pollFirstEntry();
            }
            return counts;
        }

        /**
         * What it has seen, but its quality (computed from its snapshot, outside the rollout's lock).
         *
         * @param theta the rollout's unit sample threshold: units hashed below it are counted
         */
        VersionView view(int version, long theta) {
            long all = requests + errors;
            return new VersionView(
                    version,
                    role,
                    requests,
                    errors,
                    all == 0 ? 0 : (double) errors / all,
                    units.getCountLessThanThetaLong(theta),
                    total.quantiles(),
                    inference.quantiles(),
                    null,
                    revisions.entrySet().stream()
                            .collect(Collectors.toMap(
                                    Map.Entry::getKey,
                                    e -> new RevisionCounts(e.getValue().requests, e.getValue().labels),
                                    (a, b) -> a,
                                    TreeMap::new)));
        }
    }

    /**
     * @param rolloutId the registry's rollout id
     * @param firstSeen the time of its first prediction log seen; lastSeen, of its latest
     * @param versions per version, in version order
     * @param unitSampleRate the share of units the versions' {@code units} count: 1 until a version has seen more
     *     than {@value #UNITS}, a uniform hash sample after
     * @param shadowAgreement the shadow against the answers; null without a shadow or before its first pair
     * @param decisions the controller's decisions on the rollout, the latest first
     * @param analysis the controller's latest analysis: an A/B test's comparisons and split check, a bandit's
     *     posterior; null for the other strategies and before the controller's first look
     */
    public record View(
            String model,
            long rolloutId,
            Instant firstSeen,
            Instant lastSeen,
            List<VersionView> versions,
            double unitSampleRate,
            Agreement.View shadowAgreement,
            List<Decided> decisions,
            Object analysis) {}

    /**
     * A decision the controller took: when, on which revision, the action and why; a bandit's reweighing, the
     * weights it set (its traffic shares over time).
     */
    public record Decided(Instant at, int revision, String action, String reason, List<Double> weights) {}

    /**
     * @param role {@code champion}, {@code challenger} or {@code shadow}
     * @param requests requests the version answered in the rollout (for a shadow: scored)
     * @param errors requests the version failed
     * @param errorRate errors over all its requests
     * @param units the distinct units (the rollout key's values, or request ids) assigned to it, failed requests'
     *     included: all of them, or its units in the rollout's sample ({@code unitSampleRate})
     * @param totalMs the service's time per request (a shadow's: its own scoring); null when none was logged
     * @param inferenceMs ONNX Runtime's time per run
     * @param quality its predictions' quality on their delayed labels; null before the first label
     * @param revisions per rollout revision, the requests it answered and the predictions labelled that the
     *     revision's weights assigned (the latest {@value #REVISIONS}): a canary step's evidence
     */
    public record VersionView(
            int version,
            String role,
            long requests,
            long errors,
            double errorRate,
            long units,
            Latency.Quantiles totalMs,
            Latency.Quantiles inferenceMs,
            Quality.View quality,
            Map<Integer, RevisionCounts> revisions) {

        VersionView withQuality(Quality.View measured) {
            return new VersionView(
                    version, role, requests, errors, errorRate, units, totalMs, inferenceMs, measured, revisions);
        }

        /** What the revision's weights assigned this version: zeros when it assigned it nothing seen. */
        RevisionCounts at(int revision) {
            return revisions.getOrDefault(revision, RevisionCounts.NONE);
        }
    }

    /** A revision's requests answered and predictions labelled, of one version. */
    public record RevisionCounts(long requests, long labels) {
        static final RevisionCounts NONE = new RevisionCounts(0, 0);
    }

    /** A revision's counts as they grow, under the rollout's lock. */
    private static final class Counts {
        long requests;
        long labels;
    }
}
