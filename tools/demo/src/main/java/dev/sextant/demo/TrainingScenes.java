package dev.sextant.demo;

import static dev.sextant.demo.Api.ADMIN_KEY;
import static dev.sextant.demo.Api.MODEL;
import static dev.sextant.demo.Api.detail;
import static dev.sextant.demo.Api.get;
import static dev.sextant.demo.Api.json;
import static dev.sextant.demo.Api.poll;
import static dev.sextant.demo.Api.rounded;
import static dev.sextant.demo.Api.send;
import static dev.sextant.demo.Api.step;
import static dev.sextant.demo.Api.text;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Training jobs through the gateway: the first model from the recipe, and following any job to its verdict. */
final class TrainingScenes {

    private static final List<String> ENDED = List.of("REGISTERED", "REJECTED", "FAILED", "CANCELLED");

    private final String gateway;

    TrainingScenes(String gateway) {
        this.gateway = gateway;
    }

    /**
     * The first model, from the model's recipe: the labelled payments of the history's last hour but for the outcomes
     * still unknown, joined point in time to the recipe's features; registered if it beats the champion. Answers
     * the registered version.
     */
    int trainFirst(Instant now) throws Exception {
        Instant from = now.minus(Duration.ofHours(1));
        Instant to = now.minus(WorldHistory.DISPUTE_WINDOW);
        step("Training the first model from its recipe (POST /api/v1/training/jobs) on the payments of " + from
                + " to " + to + ": the windows are full by then, and the outcomes known; the current champion (an"
                + " example model) is evaluated on the same test rows");
        JsonNode job = json(send(
                HttpRequest.newBuilder(URI.create(gateway + "/api/v1/training/jobs"))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "demo-" + UUID.randomUUID())
                        .POST(HttpRequest.BodyPublishers.ofString(Api.JSON.writeValueAsString(Map.of(
                                "model",
                                MODEL,
                                "reason",
                                "the first model of the synthetic world",
                                "data_from",
                                from.toString(),
                                "data_to",
                                to.toString())))),
                201,
                ADMIN_KEY));
        return registered(follow(text(job, "id"), Duration.ofSeconds(180)), "the loop needs the trained version");
    }

    /** The model's latest job (empty before the first). */
    JsonNode latestJob() throws Exception {
        return get(gateway + "/api/v1/training/jobs?model=" + MODEL + "&limit=1")
                .path("jobs")
                .path(0);
    }

    /** Waits for a job newer than {@code before} (one a trigger started), and answers it. */
    JsonNode awaitNewJob(JsonNode before, Duration patience) throws Exception {
        return poll("no retraining job was started", patience, this::latestJob, job -> !text(job, "id")
                .equals(text(before, "id")));
    }

    /** The version a job that ended registered it; otherwise fails, saying what {@code needed} it. */
    static int registered(JsonNode job, String needed) {
        if (!text(job, "state").equals("REGISTERED")) {
            throw new IllegalStateException(needed + " registered: " + job);
        }
        return job.path("registered_version").asInt();
    }

    /** Follows a job to its end, printing its states, then its gate's verdict and metrics; answers the job. */
    JsonNode follow(String id, Duration patience) throws Exception {
        String[] seen = {""};
        JsonNode job = poll(
                "job " + id + " did not finish in " + patience.toSeconds() + " s",
                patience,
                () -> {
                    JsonNode now = get(gateway + "/api/v1/training/jobs/" + id);
                    if (!text(now, "state").equals(seen[0])) {
                        seen[0] = text(now, "state");
                        detail(seen[0] + ": " + text(now, "step"));
                    }
                    return now;
                },
                now -> ENDED.contains(text(now, "state")));
        JsonNode report = report(id);
        detail("gate: " + report.path("gate").path("reasons"));
        for (String metric : List.of("roc_auc", "pr_auc")) {
            detail("on the test rows, " + metric + ": champion "
                    + rounded(report.path("champion").path("metrics").path(metric)) + ", candidate "
                    + rounded(report.path("candidate").path(metric)));
        }
        candidates(report).forEach(Api::detail);
        detail("report: " + gateway + "/api/v1/training/jobs/" + id + "/report");
        return job;
    }

    JsonNode report(String job) throws Exception {
        return get(gateway + "/api/v1/training/jobs/" + job + "/report");
    }

    /**
     * Each trainer the job trained, on the same test rows: the recipe's boosted trees and the logistic regression
     * beside them, and which one the validation split chose.
     */
    static List<String> candidates(JsonNode report) {
        List<String> lines = new ArrayList<>();
        for (JsonNode candidate : report.path("candidates")) {
            lines.add(String.format(
                    "%s%s: validation PR-AUC %s; on the test rows ROC-AUC %s, PR-AUC %s",
                    text(candidate, "trainer"),
                    candidate.path("chosen").asBoolean() ? " (the candidate)" : "",
                    rounded(candidate.path("validation").path("pr_auc")),
                    rounded(candidate.path("test").path("roc_auc")),
                    rounded(candidate.path("test").path("pr_auc"))));
        }
        return lines;
    }
}
