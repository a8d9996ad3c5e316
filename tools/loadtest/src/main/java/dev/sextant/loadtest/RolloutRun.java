package dev.sextant.loadtest;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rollout the load test runs through a scenario ({@link Plan.Rollout}): started on the registry, measured only
 * once the prediction service applies it (a card answered by the challenger, or a shadow scored), aborted after the
 * run. Its cost is read against runs of the same requests without it, alternately, in the same warm state: the p99
 * it adds, the platform's CPU per request it adds, and, for a shadow, the CPU its scoring threads spent per request
 * ({@code sextant_prediction_shadow_cpu_seconds_total}); medians over the pairs.
 */
final class RolloutRun implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");
    private static final Pattern SHADOW_CPU =
            Pattern.compile("(?m)^sextant_prediction_shadow_cpu_seconds_total(?:\\{[^}]*})? ([0-9.Ee+-]+)$");
    private static final Pattern SHADOW_SCORED =
            Pattern.compile("(?m)^sextant_prediction_shadow_total\\{[^}]*outcome=\"scored\"[^}]*} ([0-9.Ee+-]+)$");

    /** The prediction service's histogram of whole requests, as {@link Stages} names it. */
    static final String SERVICE_STAGE = "prediction service: whole request";

    private final Platform platform;
    private final long id;

    private RolloutRun(Platform platform, long id) {
        this.platform = platform;
        this.id = id;
    }

    /**
     * What the rollout added, the median over pairs of runs without and with it, in the same warm state: to the p99
     * the client saw, to the p99 inside the prediction service (its own histogram, without the load generator's and
     * the network's share), to the platform's CPU per request; a shadow's own CPU per request; the verdict on the p99
     * target, on the client's p99.
     */
    record Cost(
            int pairs,
            double withoutP99Ms,
            double withP99Ms,
            double addedP99Ms,
            double targetMs,
            Double addedServiceP99Ms,
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

    /** The median cost over the pairs: {@code without.get(i)} ran just before {@code with.get(i)}. */
    static Cost cost(Plan.Rollout rollout, List<Measurement> without, List<Measurement> with) {
        List<Double> addedP99 = new ArrayList<>();
        List<Double> addedCpu = new ArrayList<>();
        List<Double> shadow = new ArrayList<>();
        List<Double> addedService = new ArrayList<>();
        for (int pair = 0; pair < with.size(); pair++) {
            Measurement before = without.get(pair);
            Measurement after = with.get(pair);
            addedP99.add(after.result().millis(99) - before.result().millis(99));
            Double serviceWithout = servicePercentile99(before);
            Double serviceWith = servicePercentile99(after);
            if (serviceWithout != null && serviceWith != null) {
                addedService.add(serviceWith - serviceWithout);
            }
            after.spent()
                    .cpuMicros(Costs.PLATFORM)
                    .flatMap(cpu -> before.spent().cpuMicros(Costs.PLATFORM).map(base -> cpu - base))
                    .ifPresent(addedCpu::add);
            if (rollout.strategy().equals("shadow") && after.result().sent() > 0) {
                shadow.add(1e6
                        * (shadowCpu(after.after().get("prediction-service"))
                                - shadowCpu(after.before().get("prediction-service")))
                        / after.result().sent());
            }
        }
        double added = median(addedP99);
        double withoutP99 =
                median(without.stream().map(m -> m.result().millis(99)).toList());
        double withP99 = median(with.stream().map(m -> m.result().millis(99)).toList());
        String verdict = added <= rollout.addedP99Ms()
                ? "met"
                : String.format(
                        Locale.ROOT,
                        "MISSED: adds %.2f ms to the p99 (%.2f ms without it), more than %.2f ms",
                        added,
                        withoutP99,
                        rollout.addedP99Ms());
        return new Cost(
                with.size(),
                withoutP99,
                withP99,
                added,
                rollout.addedP99Ms(),
                addedService.isEmpty() ? null : median(addedService),
                addedCpu.isEmpty() ? null : median(addedCpu),
                shadow.isEmpty() ? null : median(shadow),
                verdict);
    }

    /** The prediction service's own p99 of whole requests in the run, from its histogram; null when not scraped. */
    private static Double servicePercentile99(Measurement measurement) {
        return Stages.between(measurement.before(), measurement.after()).stream()
                .filter(stage -> stage.stage().equals(SERVICE_STAGE))
                .map(Stages.Measured::p99)
                .findFirst()
                .orElse(null);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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
