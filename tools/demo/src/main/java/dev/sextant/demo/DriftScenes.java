package dev.sextant.demo;

import static dev.sextant.demo.Api.MODEL;
import static dev.sextant.demo.Api.PREDICT_KEY;
import static dev.sextant.demo.Api.awaitOk;
import static dev.sextant.demo.Api.detail;
import static dev.sextant.demo.Api.get;
import static dev.sextant.demo.Api.poll;
import static dev.sextant.demo.Api.post;
import static dev.sextant.demo.Api.put;
import static dev.sextant.demo.Api.step;
import static dev.sextant.demo.Api.text;

import dev.sextant.examples.fraud.FraudWorld.Payment;
import dev.sextant.examples.fraud.FraudWorld.Regime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The trained model in service, and the drift that retires it: it becomes the champion and scores the live world's
 * payments through the gateway; monitoring judges its windows; the world drifts, monitoring alerts and asks for a
 * retraining, and the orchestrator trains and registers a challenger on the new outcomes.
 */
final class DriftScenes {

    /** What the world drifts to: holiday spending (amounts 2.5 times larger, 30 % abroad) and card testing. */
    static final Regime DRIFTED = Regime.BASELINE.withCovariateShift(2.5, 0.3).withConcept(1);

    private final DemoOptions platform;
    private final LiveWorld live;
    private final TrainingScenes training;

    DriftScenes(DemoOptions platform, LiveWorld live, TrainingScenes training) {
        this.platform = platform;
        this.live = live;
        this.training = training;
    }

    /** What the drift left: the challenger, the job that trained it, the alerts, the latency before the drift. */
    record Retrained(int challenger, String job, JsonNode alerts, LiveWorld.Stretch baseline) {}

    /** The trained version serves, the world drifts, a challenger is retrained; answers what the summary shows. */
    Retrained run(int trained, Duration labelDelay) throws Exception {
        LiveWorld.Stretch baseline = serve(trained, labelDelay);
        JsonNode lastJob = training.latestJob();
        step("The world drifts: holiday spending (payments 2.5 times larger, 30 % abroad: a covariate shift) and a"
                + " card-testing ring (fraud now in small payments at risky merchants: a concept shift)");
        live.shift(DRIFTED);
        LiveWorld.Stretch drifted = live.measure();
        JsonNode alerts = poll(
                        "monitoring raised no drift alert",
                        Duration.ofSeconds(120),
                        () -> get(platform.gateway() + "/api/v1/monitoring/alerts?model=" + MODEL),
                        answer -> severities(answer.path("alerts"), "alert") > 0)
                .path("alerts");
        int shown = 0;
        for (JsonNode alert : alerts) {
            if (text(alert, "severity").equals("alert") && shown++ < 3) {
                detail("drift-alerts.v1: " + text(alert, "feature") + " " + text(alert, "statistic") + " "
                        + alert.path("value") + " (alert level " + alert.path("threshold") + ")");
            }
        }

        step("Monitoring asks for retraining after 5 alerting windows in a row (retrain-requests.v1); the"
                + " orchestrator starts a job from the model's recipe, on the latest outcomes");
        JsonNode job = training.awaitNewJob(lastJob, Duration.ofSeconds(150));
        detail("job " + text(job, "id") + ", reason: " + text(job, "reason").replaceFirst(" — evidence.*", ""));
        job = training.follow(text(job, "id"), Duration.ofSeconds(180));
        int challenger = TrainingScenes.registered(job, "the challenger was not");
        detail("the drifted payments so far: " + drifted.summary());
        return new Retrained(challenger, text(job, "id"), alerts, baseline);
    }

    /** How many of the alerts (monitoring's list) have this severity. */
    static long severities(JsonNode alerts, String severity) {
        long count = 0;
        for (JsonNode alert : alerts) {
            count += text(alert, "severity").equals(severity) ? 1 : 0;
        }
        return count;
    }

    /**
     * The trained version becomes the champion and scores every payment of the world; monitoring judges its first
     * windows and its training/serving skew. Answers the latency through the gateway before the drift.
     */
    private LiveWorld.Stretch serve(int trained, Duration labelDelay) throws Exception {
        String gateway = platform.gateway();
        step("Version " + trained + " becomes the champion. From now on every payment of the world is scored through"
                + " the gateway (the domain API reads its card's and merchant's features from Redis), then recorded on"
                + " transactions.v1; its outcome follows " + labelDelay.toSeconds() + " s later on labels.v1");
        put(gateway + "/api/v1/models/" + MODEL + "/aliases/champion", trained, "trained on the world's history");
        awaitOk(
                platform.predictionService() + "/v2/models/" + MODEL + "/versions/" + trained + "/ready",
                Duration.ofSeconds(60));
        live.scoreAt(gateway, PREDICT_KEY);
        poll(
                "the prediction service did not move to version " + trained,
                Duration.ofSeconds(60),
                () -> {
                    LiveWorld.Stretch stretch = live.measure();
                    stretch.await(10, Duration.ofSeconds(30));
                    return stretch.versions();
                },
                versions -> versions.equals(Set.of(trained)));

        LiveWorld.Stretch baseline = live.measure();
        baseline.await(1_000, Duration.ofSeconds(120));
        detail(baseline.summary());
        Payment latest = live.latest();
        List<String> features = List.of("txn_count_10m", "txn_count_1h", "amount_mean_1h");
        JsonNode online = post(
                gateway + "/api/v1/features/online",
                PREDICT_KEY,
                Api.JSON.writeValueAsString(Map.of(
                        "features",
                        features.stream().map(name -> "card_txn_stats:" + name).toList(),
                        "entities",
                        Map.of("card_id", List.of(latest.card().id())))));
        List<String> values = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            JsonNode column = online.path("results").path(i + 1); // the first column is the join key
            values.add(features.get(i) + " " + column.path("values").path(0) + " ("
                    + column.path("statuses").path(0).asString("?") + ", as of "
                    + column.path("event_timestamps").path(0).asString("?") + ")");
        }
        detail("the streaming features of " + latest.card().id() + ", which paid at " + latest.authorizedAt() + ": "
                + String.join(", ", values));
        String version = gateway + "/api/v1/monitoring/models/" + MODEL + "/versions/" + trained;
        JsonNode window = poll(
                        "monitoring judged no window of version " + trained,
                        Duration.ofSeconds(60),
                        () -> get(version + "/drift"),
                        answer -> answer.path("windows").size() > 0)
                .path("windows")
                .path(0);
        detail("monitoring, windows of 500 predictions: " + withoutColumns(window));
        JsonNode skew = get(version + "/skew");
        detail("training/serving skew of its first 500 predictions: " + text(skew, "status") + " "
                + withoutColumns(skew.path("report")));
        return baseline;
    }

    /** A window or report without its per-column details (they are the dashboard's). */
    private static String withoutColumns(JsonNode node) {
        if (!node.isObject()) {
            return node.toString();
        }
        ObjectNode copy = (ObjectNode) node.deepCopy();
        copy.remove("columns");
        return copy.toString();
    }
}
