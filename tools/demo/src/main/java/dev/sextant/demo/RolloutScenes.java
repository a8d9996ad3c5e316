package dev.sextant.demo;

import static dev.sextant.demo.Api.ADMIN_KEY;
import static dev.sextant.demo.Api.MODEL;
import static dev.sextant.demo.Api.detail;
import static dev.sextant.demo.Api.field;
import static dev.sextant.demo.Api.get;
import static dev.sextant.demo.Api.intField;
import static dev.sextant.demo.Api.poll;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loop's end as a rollout (ADR 0008), through the gateway with the administrator's key: a challenger shadows
 * the champion, then goes through canary steps that monitoring's controller advances on the evidence, or rolls back
 * when a guard fails. What the registry keeps of each rollout (its history: every change, by whom, why, and the
 * weights it set) is printed as it happens and summed up as traffic shares over time.
 */
final class RolloutScenes {

    private static final Pattern CHANGE = Pattern.compile("\\{\"revision\":(\\d+),\"action\":\"(\\w+)\"");
    private static final Pattern WEIGHT =
            Pattern.compile("\"version\":(\\d+),\"role\":\"\\w+\",\"weight\":([0-9.Ee-]+)");
    private static final Pattern SHADOW = Pattern.compile("\"shadow\":\\{\"version\":(\\d+),\"share\":([0-9.Ee-]+)");
    private static final Pattern REASON = Pattern.compile("\"reason\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern AT = Pattern.compile("\"changed_at\":\"([^\"]*)\",\"changed_by\":\"([^\"]*)\"");

    private final String gateway;
    /** Every change of the rollouts shown, in order: when, which rollout, what, by whom, the shares. */
    private final List<String> shares = new ArrayList<>();

    RolloutScenes(String gateway) {
        this.gateway = gateway;
    }

    /** Starts a rollout of the model; answers its id. */
    long start(String spec) throws Exception {
        String started = Api.send(
                HttpRequest.newBuilder(URI.create(gateway + "/api/v1/models/" + MODEL + "/rollouts"))
                        .header("Content-Type", "application/json")
                        .header("X-Sextant-Actor", "demo")
                        .POST(HttpRequest.BodyPublishers.ofString(spec)),
                201,
                ADMIN_KEY);
        return intField(started, "id");
    }

    /** Takes an action on the rollout as the demo's administrator, on its current revision. */
    void act(long rollout, String action, String reason) throws Exception {
        int revision = intField(rollout(rollout), "revision");
        Api.send(
                HttpRequest.newBuilder(URI.create(url(rollout) + "/actions"))
                        .header("Content-Type", "application/json")
                        .header("X-Sextant-Actor", "demo")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"action\": \"" + action + "\", \"revision\": "
                                + revision + ", \"reason\": \"" + reason + "\"}")),
                200,
                ADMIN_KEY);
    }

    String rollout(long rollout) throws Exception {
        return get(url(rollout));
    }

    /** The rollout's evidence as monitoring holds it. */
    String evidence(long rollout) throws Exception {
        String all = get(gateway + "/api/v1/monitoring/models/" + MODEL + "/rollouts");
        int from = all.indexOf("\"rollout_id\":" + rollout + ",");
        if (from < 0) {
            return "";
        }
        int next = all.indexOf("\"rollout_id\":", from + 1);
        return next < 0 ? all.substring(from) : all.substring(from, next);
    }

    /**
     * Waits while the rollout runs, printing each change as the registry records it; answers the rollout once it has
     * ended. A rollout paused for a person fails the demo, with its reason.
     */
    String follow(long rollout, Duration patience) throws Exception {
        Set<Integer> shown = new HashSet<>();
        String[] last = {""};
        poll(
                "rollout " + rollout + " did not end within " + patience.toSeconds() + " s",
                patience,
                () -> {
                    last[0] = rollout(rollout);
                    for (Change change : changes(last[0])) {
                        if (shown.add(change.revision())) {
                            record(rollout, change);
                            detail(change.revision() + ". " + change.action() + " by " + change.by() + ": "
                                    + change.shares()
                                    + (change.reason().isEmpty() ? "" : " (" + change.reason() + ")"));
                        }
                    }
                    return field(last[0], "state");
                },
                state -> !state.equals("running"));
        String state = field(last[0], "state");
        if (state.equals("paused")) {
            throw new IllegalStateException("rollout " + rollout + " was paused for a person: " + last[0]);
        }
        return last[0];
    }

    /** The shares over time of every rollout followed, one line per change. */
    List<String> shares() {
        return List.copyOf(shares);
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
        int history = rollout.indexOf("\"history\":[");
        if (history < 0) {
            return List.of();
        }
        List<Integer> starts = new ArrayList<>();
        Matcher change = CHANGE.matcher(rollout);
        while (change.find(starts.isEmpty() ? history : starts.get(starts.size() - 1) + 1)) {
            starts.add(change.start());
        }
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            String text =
                    rollout.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : rollout.length());
            Matcher head = CHANGE.matcher(text);
            head.find();
            int armsEnd = text.indexOf(']');
            Matcher weight = WEIGHT.matcher(armsEnd < 0 ? "" : text.substring(0, armsEnd));
            List<String> weights = new ArrayList<>();
            while (weight.find()) {
                weights.add(String.format(
                        Locale.ROOT, "v%s %.0f %%", weight.group(1), Double.parseDouble(weight.group(2))));
            }
            int evidence = text.indexOf("\"evidence\":");
            Matcher shadow = SHADOW.matcher(evidence < 0 ? text : text.substring(0, evidence));
            if (shadow.find()) {
                weights.add(String.format(
                        Locale.ROOT,
                        "shadow v%s on %.0f %%",
                        shadow.group(1),
                        100 * Double.parseDouble(shadow.group(2))));
            }
            Matcher reason = REASON.matcher(text);
            Matcher at = AT.matcher(text);
            boolean timed = at.find();
            changes.add(new Change(
                    Integer.parseInt(head.group(1)),
                    head.group(2),
                    String.join(", ", weights),
                    reason.find() ? reason.group(1).replace("\\\"", "\"") : "",
                    timed ? at.group(1) : "?",
                    timed ? at.group(2) : "?"));
        }
        java.util.Collections.reverse(changes);
        return changes;
    }

    private String url(long rollout) {
        return gateway + "/api/v1/models/" + MODEL + "/rollouts/" + rollout;
    }
}
