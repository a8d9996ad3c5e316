package dev.sextant.demo;

import static dev.sextant.demo.Api.ADMIN_KEY;
import static dev.sextant.demo.Api.MODEL;
import static dev.sextant.demo.Api.detail;
import static dev.sextant.demo.Api.get;
import static dev.sextant.demo.Api.json;
import static dev.sextant.demo.Api.poll;
import static dev.sextant.demo.Api.rounded;
import static dev.sextant.demo.Api.step;
import static dev.sextant.demo.Api.text;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The loop's end as a rollout (ADR 0008), through the gateway with the administrator's key: a challenger shadows
 * the champion, then goes through canary steps that monitoring's controller advances on the evidence, or rolls back
 * when a guard fails. What the registry keeps of each rollout (its history: every change, by whom, why, and the
 * weights it set) is printed as it happens and summed up as traffic shares over time.
 */
final class RolloutScenes {

    private final String gateway;
    /** Every change of the rollouts shown, in order: when, which rollout, what, by whom, the shares. */
    private final List<String> shares = new ArrayList<>();

    RolloutScenes(String gateway) {
        this.gateway = gateway;
    }

    /**
     * The challenger shadows the champion (scoring every payment, answering none) until monitoring has paired 500 of
     * its scores with the answers; then the shadow is ended.
     */
    void shadow(int challenger, LiveWorld live) throws Exception {
        step("Version " + challenger + " shadows the champion: it scores every payment after the answer is sent,"
                + " answering none; monitoring pairs its scores with the champion's");
        long shadow = start(Map.of(
                "strategy", "shadow",
                "key", "card_id",
                "shadow", Map.of("version", challenger, "share", 1.0),
                "reason", "retrained after drift: compared before it answers"));
        LiveWorld.Stretch shadowed = live.measure();
        JsonNode agreement = poll(
                        "monitoring paired no 500 shadow scores",
                        Duration.ofSeconds(120),
                        () -> evidence(shadow),
                        evidence ->
                                evidence.path("shadow_agreement").path("pairs").asLong() >= 500)
                .path("shadow_agreement");
        detail(String.format(
                Locale.ROOT,
                "%d pairs: mean difference %s, |difference| p99 %s, decisions flipped at the threshold: %d (%s)",
                agreement.path("pairs").asLong(),
                rounded(agreement.path("mean_difference")),
                rounded(agreement.path("absolute_difference_p99")),
                agreement.path("decision_flips").asLong(),
                rounded(agreement.path("flip_rate"))));
        detail("the payments answered meanwhile, through the gateway: " + shadowed.summary());
        act(shadow, "abort", "the shadow differs where the drift moved the world: on to a canary");
        follow(shadow, Duration.ofSeconds(30));
    }

    /**
     * The challenger goes through canary steps (20 %, then 50 % of the cards) that monitoring advances on the
     * evidence, to its promotion with no failed request; answers the payments scored meanwhile.
     */
    LiveWorld.Stretch promote(int challenger, LiveWorld live) throws Exception {
        step("Version " + challenger + " goes through canary steps, 20 % then 50 % of the cards, each advanced by"
                + " monitoring once the challenger has answered 200 payments and has 200 outcomes in the step, every"
                + " guard holding: p99 at most 3 times the champion's, at most 1 % errors, ROC-AUC on the outcomes not"
                + " significantly worse by more than 0.02");
        LiveWorld.Stretch canary = live.measure();
        long better = start(canary(challenger, 20, "retrained after drift"));
        JsonNode promoted = follow(better, Duration.ofMinutes(8));
        if (!text(promoted, "state").equals("promoted")) {
            throw new IllegalStateException("the retrained challenger was not promoted: " + promoted);
        }
        detail("the evidence: " + versions(evidence(better)));
        detail("the payments answered during the canary: " + canary.summary() + "; versions that answered: "
                + new TreeSet<>(canary.versions()));
        if (canary.failures() > 0) {
            throw new IllegalStateException(
                    canary.failures() + " requests failed during the canary: " + canary.firstFailure());
        }
        return canary;
    }

    /** The version, proposed again from 50 % of the cards, is rolled back by the same guards. */
    void rollBack(int version) throws Exception {
        step("Were version " + version + ", trained before the drift, proposed again, it would go through the same"
                + " guards, here from 50 % of the cards: the evidence rolls it back");
        long worse = start(canary(version, 50, "the model from before the drift, proposed again"));
        JsonNode rolledBack = follow(worse, Duration.ofMinutes(6));
        if (!text(rolledBack, "state").equals("rolled_back")) {
            throw new IllegalStateException("version " + version + " was not rolled back: " + rolledBack);
        }
        detail("the evidence: " + versions(evidence(worse)));
    }

    /** The shares over time of every rollout followed, one line per change. */
    List<String> shares() {
        return List.copyOf(shares);
    }

    /** A canary of the version: from {@code weight} % of the cards, then 50 % unless it starts there. */
    private static Map<String, Object> canary(int version, int weight, String reason) {
        List<Map<String, Object>> steps = weight < 50
                ? List.of(
                        Map.of("weight", weight, "min_requests", 200, "min_labels", 200),
                        Map.of("weight", 50, "min_requests", 200, "min_labels", 200))
                : List.of(Map.of("weight", weight, "min_requests", 5000, "min_labels", 5000));
        return Map.of(
                "strategy",
                "canary",
                "challengers",
                List.of(version),
                "key",
                "card_id",
                "steps",
                steps,
                "guards",
                Map.of(
                        "max_latency_ratio",
                        3,
                        "max_error_rate",
                        0.01,
                        "quality",
                        Map.of("metric", "roc_auc", "max_degradation", 0.02, "alpha", 0.05)),
                "reason",
                reason);
    }

    /** Each version's role, requests, labels and ROC-AUC in a rollout's evidence. */
    private static String versions(JsonNode evidence) {
        List<String> shown = new ArrayList<>();
        for (JsonNode version : evidence.path("versions")) {
            String role = text(version, "role");
            String payments = "version " + version.path("version").asInt() + " (" + role + ") "
                    + version.path("requests").asLong() + " payments, p99 "
                    + rounded(version.path("total_ms").path("p99")) + " ms";
            shown.add(
                    role.equals("shadow")
                            ? payments + " (scored, answering none)"
                            : payments + ", "
                                    + version.path("quality").path("labels").asLong() + " outcomes, ROC-AUC "
                                    + rounded(version.path("quality").path("roc_auc")));
        }
        return String.join("; ", shown);
    }

    /** Starts a rollout of the model; answers its id. */
    private long start(Map<String, Object> spec) throws Exception {
        JsonNode started = json(Api.send(
                HttpRequest.newBuilder(URI.create(gateway + "/api/v1/models/" + MODEL + "/rollouts"))
                        .header("Content-Type", "application/json")
                        .header("X-Sextant-Actor", "demo")
                        .POST(HttpRequest.BodyPublishers.ofString(Api.JSON.writeValueAsString(spec))),
                201,
                ADMIN_KEY));
        return started.path("id").asLong();
    }

    /** Takes an action on the rollout as the demo's administrator, on its current revision. */
    private void act(long rollout, String action, String reason) throws Exception {
        int revision = rollout(rollout).path("revision").asInt();
        Api.send(
                HttpRequest.newBuilder(URI.create(url(rollout) + "/actions"))
                        .header("Content-Type", "application/json")
                        .header("X-Sextant-Actor", "demo")
                        .POST(HttpRequest.BodyPublishers.ofString(Api.JSON.writeValueAsString(
                                Map.of("action", action, "revision", revision, "reason", reason)))),
                200,
                ADMIN_KEY);
    }

    private JsonNode rollout(long rollout) throws Exception {
        return get(url(rollout));
    }

    /** The rollout's evidence as monitoring holds it; missing until monitoring has seen its logs. */
    private JsonNode evidence(long rollout) throws Exception {
        for (JsonNode seen : get(gateway + "/api/v1/monitoring/models/" + MODEL + "/rollouts")
                .path("rollouts")) {
            if (seen.path("rollout_id").asLong() == rollout) {
                return seen;
            }
        }
        return MissingNode.getInstance();
    }

    /**
     * Waits while the rollout runs, printing each change as the registry records it; answers the rollout once it has
     * ended. A rollout paused for a person fails the demo, with its reason.
     */
    private JsonNode follow(long rollout, Duration patience) throws Exception {
        Set<Integer> shown = new HashSet<>();
        JsonNode ended = poll(
                "rollout " + rollout + " did not end within " + patience.toSeconds() + " s",
                patience,
                () -> {
                    JsonNode now = rollout(rollout);
                    for (Change change : changes(now)) {
                        if (shown.add(change.revision())) {
                            record(rollout, change);
                            detail(change.revision() + ". " + change.action() + " by " + change.by() + ": "
                                    + change.shares()
                                    + (change.reason().isEmpty() ? "" : " (" + change.reason() + ")"));
                        }
                    }
                    return now;
                },
                now -> !text(now, "state").equals("running"));
        if (text(ended, "state").equals("paused")) {
            throw new IllegalStateException("rollout " + rollout + " was paused for a person: " + ended);
        }
        return ended;
    }

    private void record(long rollout, Change change) {
        shares.add(String.format(
                Locale.ROOT,
                "%s  rollout %d  %-9s %-10s %s",
                change.at().length() >= 19 ? change.at().substring(11, 19) : change.at(),
                rollout,
                change.action(),
                change.by(),
                change.shares()));
    }

    /** One change of a rollout's history, oldest first. */
    record Change(int revision, String action, String shares, String reason, String at, String by) {}

    static List<Change> changes(String rollout) {
        return changes(json(rollout));
    }

    /** The rollout's history (the registry keeps it newest first), oldest first. */
    static List<Change> changes(JsonNode rollout) {
        List<Change> changes = new ArrayList<>();
        for (JsonNode change : rollout.path("history")) {
            List<String> weights = new ArrayList<>();
            for (JsonNode arm : change.path("arms")) {
                weights.add(String.format(
                        Locale.ROOT,
                        "v%d %.0f %%",
                        arm.path("version").asInt(),
                        arm.path("weight").asDouble()));
            }
            JsonNode shadow = change.path("shadow");
            if (shadow.isObject()) {
                weights.add(String.format(
                        Locale.ROOT,
                        "shadow v%d on %.0f %%",
                        shadow.path("version").asInt(),
                        100 * shadow.path("share").asDouble()));
            }
            changes.add(new Change(
                    change.path("revision").asInt(),
                    text(change, "action"),
                    String.join(", ", weights),
                    change.path("reason").asString(""),
                    text(change, "changed_at"),
                    text(change, "changed_by")));
        }
        java.util.Collections.reverse(changes);
        return changes;
    }

    private String url(long rollout) {
        return gateway + "/api/v1/models/" + MODEL + "/rollouts/" + rollout;
    }
}
