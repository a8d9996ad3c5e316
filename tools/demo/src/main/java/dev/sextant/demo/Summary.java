package dev.sextant.demo;

import static dev.sextant.demo.Api.MODEL;
import static dev.sextant.demo.Api.detail;
import static dev.sextant.demo.Api.get;
import static dev.sextant.demo.Api.rounded;
import static dev.sextant.demo.Api.step;
import static dev.sextant.demo.Api.text;

import dev.sextant.examples.fraud.FraudWorld.Regime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The loop's summary: the world now, each trainer of the first job on the same rows, the retraining's gain on the
 * latest outcomes, the first model's online ROC-AUC per window, latencies, the traffic shares over time, the alerts.
 */
final class Summary {

    private Summary() {}

    static void print(
            String gateway,
            LiveWorld live,
            TrainingScenes training,
            int trained,
            DriftScenes.Retrained retrained,
            LiveWorld.Stretch canary,
            RolloutScenes rollouts)
            throws Exception {
        step("Summary");
        Regime world = live.regime();
        detail(String.format(
                Locale.ROOT,
                "the world: %,d live payments; now amounts x%.1f, %.0f %% abroad, concept %.1f (1: card testing),"
                        + " fraud odds x%.1f",
                live.happened(),
                world.amountScale(),
                100 * world.foreignShare(),
                world.concept(),
                world.fraudOdds()));
        JsonNode before = get(gateway + "/api/v1/models/" + MODEL + "/versions/" + trained);
        detail("version " + trained + " (" + text(before.path("tags"), "trainer")
                + ", trained on the history): ROC-AUC "
                + rounded(before.path("metrics").path("roc_auc")) + ", PR-AUC "
                + rounded(before.path("metrics").path("pr_auc"))
                + " on its test rows; each trainer of its job on the same rows:");
        TrainingScenes.candidates(training.report(text(before.path("tags"), "training_job_id")))
                .forEach(line -> detail("  " + line));
        JsonNode report = training.report(retrained.job());
        detail("on the latest outcomes (the retraining's test rows): ROC-AUC "
                + rounded(report.path("champion").path("metrics").path("roc_auc")) + " -> "
                + rounded(report.path("candidate").path("roc_auc")) + ", PR-AUC "
                + rounded(report.path("champion").path("metrics").path("pr_auc")) + " -> "
                + rounded(report.path("candidate").path("pr_auc")) + " (version " + trained + " -> version "
                + retrained.challenger() + ", now the champion by its canary)");
        JsonNode performance =
                get(gateway + "/api/v1/monitoring/models/" + MODEL + "/versions/" + trained + "/performance");
        List<String> windows = new ArrayList<>();
        for (JsonNode auc : performance.findValues("roc_auc")) {
            windows.add(String.format(Locale.ROOT, "%.2f", auc.asDouble()));
        }
        Collections.reverse(windows);
        detail("version " + trained + "'s online ROC-AUC per window of labelled predictions, oldest first: " + windows);
        detail("latency through the gateway before the drift: "
                + retrained.baseline().summary());
        detail("latency through the gateway during the canary: " + canary.summary());
        detail("traffic shares over time, as the registry recorded each rollout's changes:");
        rollouts.shares().forEach(line -> detail("  " + line));
        detail("alerts published: " + DriftScenes.severities(retrained.alerts(), "alert") + " drift alerts, "
                + DriftScenes.severities(retrained.alerts(), "warn") + " warnings");
    }
}
