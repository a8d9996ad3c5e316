package dev.sextant.loadtest;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rollout the load test runs through a scenario ({@link Plan.Rollout}): started on the registry before the
 * scenario's warm-up, measured only once the prediction service applies it (a card answered by the challenger, or
 * a shadow scored), aborted after the scenario. Its cost is read against the scenario run without it: the p99 it
 * adds, the platform's CPU per request it adds, and, for a shadow, the CPU its scoring threads spent per request
 * ({@code sextant_prediction_shadow_cpu_seconds_total}).
 */
final class RolloutRun implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");
    private static final Pattern SHADOW_CPU =
            Pattern.compile("(?m)^sextant_prediction_shadow_cpu_seconds_total(?:\\{[^}]*})? ([0-9.Ee+-]+)$");
    private static final Pattern SHADOW_SCORED =
            Pattern.compile("(?m)^sextant_prediction_shadow_total\\{[^}]*outcome=\"scored\"[^}]*} ([0-9.Ee+-]+)$");

    private final Platform platform;
    private final long id;

    private RolloutRun(Platform platform, long id) {
        this.platform = platform;
        this.id = id;
    }

    /** What the rollout added to the scenario without it; the verdict on its p99 target. */
    record Cost(
            String against,
            double againstP99Ms,
            double p99Ms,
            double addedP99Ms,
            double targetMs,
            Double addedCpuMicros,
            Double shadowCpuMicros,
            String verdict) {

        boolean missed() {
            return verdict.startsWith("MISSED");
        }
    }

    /** Starts the rollout of the platform's second fraud version and waits until the prediction service applies it. */
    static RolloutRun start(Platform platform, Plan.Rollout rollout) throws Exception {
        String active = Platform.text(platform.registry + "/api/v1/models/" + Platform.FRAUD + "/rollouts/active");
        Matcher left = ID.matcher(active == null ? "" : active);
        if (left.find()) {
            // a rollout an interrupted load test left running
            new RolloutRun(platform, Long.parseLong(left.group(1))).close();
        }
        String started = Platform.send(
                HttpRequest.newBuilder(URI.create(platform.registry + "/api/v1/models/" + Platform.FRAUD + "/rollouts"))
                        .header("Content-Type", "application/json")
                        .header("X-Sextant-Actor", "loadtest")
                        .POST(HttpRequest.BodyPublishers.ofString(rollout.spec(platform.challenger()))),
                201);
        Matcher id = ID.matcher(started);
        if (!id.find()) {
            throw new IllegalStateException("the registry answered no rollout id: " + started);
        }
        RolloutRun run = new RolloutRun(platform, Long.parseLong(id.group(1)));
        run.awaitApplied(rollout);
        return run;
    }

    private void awaitApplied(Plan.Rollout rollout) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int card = 0; System.nanoTime() < deadline; card = (card + 1) % Platform.CARDS) {
            String answer = Platform.send(
                    HttpRequest.newBuilder(URI.create(platform.prediction + "/api/v1/predict/" + Platform.FRAUD))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"entities\": {\"card_id\": \""
                                    + platform.card(card) + "\", \"merchant_id\": \"" + platform.merchant(0)
                                    + "\"}, \"request\": {\"amount_zscore\": 0.5}}")),
                    200);
            boolean applied = rollout.strategy().equals("canary")
                    ? answer.contains("\"role\":\"challenger\"")
                    : shadowScored() > 0;
            if (applied) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the prediction service did not apply rollout " + id + " within 60 s");
    }

    private double shadowScored() {
        String text = Platform.text(platform.prediction + "/actuator/prometheus");
        Matcher scored = SHADOW_SCORED.matcher(text == null ? "" : text);
        double total = 0;
        while (scored.find()) {
            total += Double.parseDouble(scored.group(1));
        }
        return total;
    }

    /** Aborts the rollout: every request to the champion again. */
    @Override
    public void close() throws Exception {
        String now = Platform.send(
                HttpRequest.newBuilder(
                        URI.create(platform.registry + "/api/v1/models/" + Platform.FRAUD + "/rollouts/" + id)),
                200);
        Matcher revision = REVISION.matcher(now);
        revision.find();
        Platform.send(
                HttpRequest.newBuilder(URI.create(platform.registry + "/api/v1/models/" + Platform.FRAUD + "/rollouts/"
                                + id + "/actions"))
                        .header("Content-Type", "application/json")
                        .header("X-Sextant-Actor", "loadtest")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"action\": \"abort\", \"revision\": "
                                + revision.group(1) + ", \"reason\": \"load test scenario done\"}")),
                200);
    }

    /**
     * @param against the outcome of the scenario without the rollout
     * @param before the services' expositions before the measured run; after, after it
     */
    static Cost cost(
            Plan.Rollout rollout,
            Outcome against,
            Load.Result result,
            Costs.Measured spent,
            Map<String, String> before,
            Map<String, String> after) {
        double p99 = result.millis(99);
        double baseline = against.slo().millis(99);
        double added = p99 - baseline;
        Double cpu = spent.cpuMicros(Costs.PLATFORM)
                .flatMap(with -> against.costs().cpuMicros(Costs.PLATFORM).map(without -> with - without))
                .orElse(null);
        Double shadow = null;
        if (rollout.strategy().equals("shadow") && result.sent() > 0) {
            shadow = 1e6
                    * (shadowCpu(after.get("prediction-service")) - shadowCpu(before.get("prediction-service")))
                    / result.sent();
        }
        String verdict = added <= rollout.addedP99Ms()
                ? "met"
                : String.format(
                        Locale.ROOT,
                        "MISSED: adds %.2f ms to %s's p99 (%.2f ms), more than %.2f ms",
                        added,
                        rollout.against(),
                        baseline,
                        rollout.addedP99Ms());
        return new Cost(rollout.against(), baseline, p99, added, rollout.addedP99Ms(), cpu, shadow, verdict);
    }

    private static double shadowCpu(String exposition) {
        Matcher seconds = SHADOW_CPU.matcher(exposition == null ? "" : exposition);
        double total = 0;
        while (seconds.find()) {
            total += Double.parseDouble(seconds.group(1));
        }
        return total;
    }
}
