package dev.sextant.monitoring.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.monitoring.TestProperties;
import dev.sextant.monitoring.performance.OnlinePerformance;
import dev.sextant.monitoring.window.PredictionLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A rollout's live evidence from its prediction logs: counts and latency per version, and the shadow's agreement. */
class RolloutEvidenceTest {

    private static final Instant START = Instant.parse("2026-12-07T06:00:00Z");

    private final RolloutEvidence evidence =
            new RolloutEvidence(TestProperties.with(500, 200, 100).performance());

    @Test
    void countsEachVersionsRequestsAndLatencyWithItsRole() {
        for (int i = 0; i < 100; i++) {
            evidence.observe(log("r-" + i, 1, "champion", 7L, 0.2, 1 + i % 10, 0.1));
        }
        for (int i = 0; i < 20; i++) {
            evidence.observe(log("c-" + i, 2, "challenger", 7L, 0.3, 2 + i % 10, 0.2));
        }
        evidence.observe(log("plain", 1, "champion", null, 0.2, 1, 0.1));
        for (int i = 0; i < 5; i++) {
            evidence.observe(new PredictionLog(
                    "e-" + i,
                    START,
                    "fraud",
                    2,
                    Map.of(),
                    Map.of(),
                    new PredictionLog.Serving("challenger", 7L, 1, "unit-x", 30, Double.NaN, "runtime_error")));
        }

        RolloutStats.View view = evidence.of("fraud").get(0);
        assertThat(view.rolloutId()).isEqualTo(7);
        assertThat(view.versions())
                .extracting(RolloutStats.VersionView::version)
                .containsExactly(1, 2);
        RolloutStats.VersionView champion = view.versions().get(0);
        assertThat(champion.role()).isEqualTo("champion");
        assertThat(champion.requests()).isEqualTo(100);
        assertThat(champion.totalMs().count()).isEqualTo(100);
        assertThat(champion.totalMs().p50()).isBetween(5.0, 6.0);
        assertThat(champion.totalMs().max()).isEqualTo(10.0);
        assertThat(view.versions().get(1).role()).isEqualTo("challenger");
        assertThat(view.versions().get(1).requests()).isEqualTo(20);
        assertThat(view.versions().get(1).errors()).isEqualTo(5);
        assertThat(view.versions().get(1).errorRate()).isEqualTo(0.2);
        assertThat(champion.errorRate()).isZero();
        assertThat(view.shadowAgreement()).as("no shadow").isNull();
    }

    @Test
    void pairsEachShadowScoringWithItsAnswerWhicheverComesFirstAndCountsDecisionFlips() {
        // the shadow scores 0.1 higher; at the threshold 0.5, answers in [0.4, 0.5) flip
        evidence.observe(log("first", 1, "champion", 9L, 0.45, 1, 0.1)); // before any shadow log: not paired
        evidence.observe(log("first", 3, "shadow", 9L, 0.55, 1, 0.1));
        for (int i = 0; i < 100; i++) {
            double answer = i / 100.0;
            if (i % 2 == 0) {
                evidence.observe(log("r-" + i, 1, "champion", 9L, answer, 1, 0.1));
                evidence.observe(log("r-" + i, 3, "shadow", 9L, answer + 0.1, 1, 0.1));
            } else {
                evidence.observe(log("r-" + i, 3, "shadow", 9L, answer + 0.1, 1, 0.1));
                evidence.observe(log("r-" + i, 1, "champion", 9L, answer, 1, 0.1));
            }
        }

        Agreement.View agreement = evidence.of("fraud").get(0).shadowAgreement();
        assertThat(agreement.version()).isEqualTo(3);
        assertThat(agreement.pairs()).isEqualTo(100);
        assertThat(agreement.meanDifference()).isCloseTo(0.1, within(1e-9));
        assertThat(agreement.absoluteDifferenceP99()).isCloseTo(0.1, within(1e-9));
        assertThat(agreement.decisionFlips()).isEqualTo(10);
        assertThat(agreement.flipRate()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void eachVersionsPredictionsJoinedWithTheirLabelsGiveItsQualityInTheRollout() {
        // the champion ranks every positive above every negative; the challenger's scores are noise
        for (int i = 0; i < 400; i++) {
            boolean positive = i % 4 == 0;
            String champion = "a-" + i;
            String challenger = "b-" + i;
            evidence.observe(log(champion, 1, "champion", 5L, positive ? 0.8 : 0.2, 1, 0.1));
            evidence.observe(log(challenger, 2, "challenger", 5L, (i * 37 % 100) / 100.0, 1, 0.1));
            evidence.labelled("fraud", 1, 5L, 1, labelled(positive ? 0.8 : 0.2, positive));
            evidence.labelled("fraud", 2, 5L, 1, labelled((i * 37 % 100) / 100.0, positive));
        }
        evidence.labelled("fraud", 1, 6L, 1, labelled(0.5, true)); // a rollout never seen: nothing

        RolloutStats.View view = evidence.of("fraud").get(0);
        Quality.View champion = view.versions().get(0).quality();
        Quality.View challenger = view.versions().get(1).quality();
        assertThat(champion.labels()).isEqualTo(400);
        assertThat(champion.positiveRate()).isEqualTo(0.25);
        assertThat(champion.rocAuc()).isEqualTo(1.0);
        assertThat(champion.logLoss()).isCloseTo(-Math.log(0.8), within(1e-6));
        assertThat(champion.calibration()).isCloseTo(0.8 * 0.25 + 0.2 * 0.75 - 0.25, within(1e-6));
        assertThat(challenger.rocAuc()).isBetween(0.35, 0.65);
        assertThat(challenger.rocAucStandardError()).isBetween(0.01, 0.1);
        assertThat(challenger.logLoss() - champion.logLoss())
                .as("worse by many standard errors")
                .isGreaterThan(5 * challenger.logLossStandardError());
    }

    @Test
    void countsEachRevisionsRequestsAndLabelsAndRecallsTheRegistrysDecisionsOnce() {
        for (int i = 0; i < 30; i++) {
            evidence.observe(log("c-" + i, 2, "challenger", 8L, 0.3, 1, 0.1, i < 10 ? 1 : 2));
        }
        evidence.labelled("fraud", 2, 8L, 1, labelled(0.3, false));
        evidence.labelled("fraud", 2, 8L, 2, labelled(0.3, true));
        evidence.labelled("fraud", 2, 8L, 2, labelled(0.3, true));
        RolloutStats.Decided advanced = new RolloutStats.Decided(START, 1, "advance", "step 0 has its evidence", null);
        evidence.recall("fraud", 8L, List.of(advanced));
        evidence.recall("fraud", 8L, List.of());

        RolloutStats.VersionView challenger =
                evidence.of("fraud").get(0).versions().get(0);
        assertThat(challenger.at(1)).isEqualTo(new RolloutStats.RevisionCounts(10, 1));
        assertThat(challenger.at(2)).isEqualTo(new RolloutStats.RevisionCounts(20, 2));
        assertThat(challenger.at(3)).isEqualTo(new RolloutStats.RevisionCounts(0, 0));
        assertThat(evidence.of("fraud").get(0).decisions()).containsExactly(advanced);
    }

    @Test
    void keepsTheLatestRolloutsOfEachModelTheNewestFirst() {
        for (long rollout = 1; rollout <= RolloutEvidence.ROLLOUTS_PER_MODEL + 2; rollout++) {
            evidence.observe(log("r-" + rollout, 1, "champion", rollout, 0.2, 1, 0.1));
        }

        assertThat(evidence.of("fraud"))
                .extracting(RolloutStats.View::rolloutId)
                .containsExactly(7L, 6L, 5L, 4L, 3L);
        assertThat(evidence.of("other")).isEmpty();
    }

    private static PredictionLog log(
            String id, int version, String role, Long rollout, double score, double totalMs, double inferenceMs) {
        return log(id, version, role, rollout, score, totalMs, inferenceMs, 1);
    }

    private static PredictionLog log(
            String id,
            int version,
            String role,
            Long rollout,
            double score,
            double totalMs,
            double inferenceMs,
            int revision) {
        return new PredictionLog(
                id,
                START,
                "fraud",
                version,
                Map.of("score", new double[] {score}),
                Map.of(),
                new PredictionLog.Serving(role, rollout, revision, null, totalMs, inferenceMs, null));
    }

    private static OnlinePerformance.Labelled labelled(double score, boolean label) {
        return new OnlinePerformance.Labelled(score, label, Duration.ofSeconds(60));
    }
}
