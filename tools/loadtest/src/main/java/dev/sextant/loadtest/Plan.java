package dev.sextant.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a load test runs: its scenarios with their latency targets, and how long each kind of run lasts
 * ({@code plan.yaml} in this package is the default). Unknown fields and bad values are errors that name the field.
 */
record Plan(
        String warmup,
        Stable stable,
        String measure,
        int connections,
        String timeout,
        Runs sweep,
        Saturation saturation,
        String fraudModel,
        List<Scenario> scenarios) {

    /** The fraud model's ONNX file when the plan names none: a logistic regression over three inputs. */
    static final String DEFAULT_FRAUD_MODEL = "examples/models/fraud-logreg-v2.onnx";

    /**
     * The ONNX file the domain scenarios' champion is registered from (relative to the repository's root, where the
     * load test runs); its three inputs are the fraud binding.
     */
    Path fraudModelFile() {
        return Path.of(fraudModel == null ? DEFAULT_FRAUD_MODEL : fraudModel);
    }

    /**
     * The SLO runs' warm-up goes on after {@code warmup} in windows of {@code window} until two in a row agree
     * within {@code tolerance} (a fraction) and no JVM on the path spent more than {@code jit} of the second window
     * compiling (a fraction; {@link #DEFAULT_JIT} when left out), for at most {@code max} in all ({@link WarmUp}).
     */
    record Stable(String window, double tolerance, String max, Double jit) {

        /** 50 ms of JIT compilation a second: what a warm JVM's compiler still does now and then. */
        static final double DEFAULT_JIT = 0.05;

        double jitShare() {
            return jit == null ? DEFAULT_JIT : jit;
        }
    }

    /** Warm-up and measurement of the shorter runs of a sweep. */
    record Runs(String warmup, String measure) {}

    record Saturation(String warmup, String measure, double growth, int bisections, double maxRate) {}

    /**
     * A rollout of the fraud model running through a domain-prediction scenario: a canary of a second version (the
     * same ONNX file and binding, so what it adds is the rollout's own work) answering {@code weight} % of the cards,
     * or a shadow of it scoring {@code share} of them. Measured in {@code pairs} (3 when absent) of runs of the same
     * requests without and with it, alternately, in the same warm state; judged by the median p99 it adds: at most
     * {@code added_p99_ms}.
     */
    record Rollout(String strategy, Double weight, Double share, Integer pairs, double addedP99Ms) {

        Rollout {
            pairs = pairs == null ? 3 : pairs;
        }

        /** The registry's rollout, keyed by card, of {@code challenger} against the champion. */
        String spec(int challenger) {
            return strategy.equals("canary")
                    ? String.format(
                            Locale.ROOT,
                            "{\"strategy\": \"canary\", \"challengers\": [%d], \"key\": \"card_id\","
                                    + " \"steps\": [{\"weight\": %s, \"min_requests\": 1000000000}],"
                                    + " \"reason\": \"load test\"}",
                            challenger,
                            weight)
                    : String.format(
                            Locale.ROOT,
                            "{\"strategy\": \"shadow\", \"key\": \"card_id\", \"shadow\": {\"version\": %d,"
                                    + " \"share\": %s}, \"reason\": \"load test\"}",
                            challenger,
                            share);
        }
    }

    /**
     * @param kind {@code predict} (domain API), {@code infer} (Open Inference Protocol), {@code features} (online
     *     read over HTTP) or {@code mixed}
     * @param via {@code gateway}, {@code direct} (the service itself) or {@code nginx} (a plain reverse proxy in front
     *     of the services, {@link Nginx}: the floor the gateway is read against; its SLO run only, reported, not
     *     judged, and skipped where nginx is not installed)
     * @param rates the rate sweep's arrival rates
     * @param concurrency the concurrency sweep's client counts (closed loop)
     * @param cpuUs CPU budgets per request in the SLO run, in microseconds: {@code platform} (every process but the
     *     load generator) or a process by name ({@code gateway}); judged where the processes are measured
     * @param overload an overload scenario: its SLO run follows an overload ({@link Overload}), no sweeps
     * @param rollout a rollout that runs through the scenario ({@link Rollout}), no sweeps
     */
    record Scenario(
            String name,
            String description,
            String kind,
            String via,
            Slo slo,
            List<Double> rates,
            List<Integer> concurrency,
            Map<String, Double> cpuUs,
            Overload overload,
            Rollout rollout) {

        Scenario {
            rates = rates == null ? List.of() : rates;
            concurrency = concurrency == null ? List.of() : concurrency;
            cpuUs = cpuUs == null ? Map.of() : new TreeMap<>(cpuUs);
        }

        /** A floor (via nginx): measured and reported beside the others, never judged. */
        boolean floor() {
            return "nginx".equals(via);
        }

        /**
         * Why the CPU an SLO run cost misses this scenario's budgets ({@code MISSED: platform 812 µs > 400 µs}),
         * {@code met}, or {@code not measured} (budgets for processes the load test was not told of).
         */
        String cpuVerdict(Costs.Measured costs) {
            StringBuilder missed = new StringBuilder();
            List<String> unmeasured = new ArrayList<>();
            cpuUs.forEach((process, budget) -> costs.cpuMicros(process)
                    .ifPresentOrElse(
                            spent -> {
                                if (spent > budget) {
                                    missed.append(String.format(
                                            Locale.ROOT, " %s %.0f µs > %.0f µs;", process, spent, budget));
                                }
                            },
                            () -> unmeasured.add(process)));
            if (missed.length() > 0) {
                return "MISSED:" + missed.substring(0, missed.length() - 1);
            }
            return unmeasured.isEmpty() ? "met" : "not measured: " + String.join(", ", unmeasured);
        }
    }

    /**
     * Overload, then recovery: {@code factor} times the saturation rate of scenario {@code of} (the highest rate
     * found that meets its SLO; this scenario's SLO rate when none was found) for {@code duration}, then the SLO's
     * rate again, whose first {@code recovery} is not judged. Met when, during the overload, the requests answered
     * 2xx keep p99 within {@code p99Factor} times the SLO's, refusals (503, 429) answer with p99 within {@code
     * refusalMs}, and nothing else fails beyond the SLO's error rate; and the SLO run after the recovery meets the
     * SLO.
     */
    record Overload(String of, double factor, String duration, String recovery, double p99Factor, double refusalMs) {

        /** Why the overload phase misses its targets, or "met". */
        String verdict(Load.Result overload, Slo slo) {
            Histogram succeeded = overload.succeeded();
            Histogram refused = overload.refused();
            double answeredP99 = succeeded.getTotalCount() == 0 ? Double.NaN : succeeded.getValueAtPercentile(99) / 1e3;
            double refusalP99 = refused.getTotalCount() == 0 ? 0 : refused.getValueAtPercentile(99) / 1e3;
            long otherFailures = overload.failed() - overload.refusals();
            StringBuilder why = new StringBuilder();
            if (!(answeredP99 <= p99Factor * slo.p99Ms())) {
                why.append(String.format(
                        Locale.ROOT, " answered p99 %.2f ms > %.2f ms;", answeredP99, p99Factor * slo.p99Ms()));
            }
            if (refusalP99 > refusalMs) {
                why.append(String.format(Locale.ROOT, " refusals p99 %.2f ms > %.2f ms;", refusalP99, refusalMs));
            }
            if (otherFailures > slo.errorRate() * overload.sent()) {
                why.append(String.format(
                        Locale.ROOT,
                        " %d failures other than refusals > %.3f %%;",
                        otherFailures,
                        100 * slo.errorRate()));
            }
            return why.length() == 0 ? "met" : "MISSED:" + why.substring(0, why.length() - 1);
        }
    }

    /** Met when, at {@code rate}, p99 ≤ {@code p99Ms}, errors ≤ {@code errorRate} of requests, all answered. */
    record Slo(double rate, double p99Ms, double errorRate) {

        boolean metBy(Load.Result result) {
            return result.millis(99) <= p99Ms
                    && result.errorRate() <= errorRate
                    && !result.errors().containsKey("no answer within the run");
        }

        /** Why a result misses this SLO, or "met". */
        String verdict(Load.Result result) {
            if (metBy(result)) {
                return "met";
            }
            StringBuilder why = new StringBuilder("MISSED:");
            if (!(result.millis(99) <= p99Ms)) {
                why.append(String.format(java.util.Locale.ROOT, " p99 %.2f ms > %.2f ms;", result.millis(99), p99Ms));
            }
            if (result.errorRate() > errorRate) {
                why.append(String.format(
                        java.util.Locale.ROOT,
                        " errors %.3f %% > %.3f %%;",
                        100 * result.errorRate(),
                        100 * errorRate));
            }
            return why.substring(0, why.length() - 1);
        }
    }

    static Plan load(Path file) throws IOException {
        try (InputStream in = file == null ? Plan.class.getResourceAsStream("plan.yaml") : Files.newInputStream(file)) {
            Plan plan = YAMLMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build()
                    .readValue(in, Plan.class);
            plan.check();
            return plan;
        }
    }

    private void check() {
        duration("warmup", warmup);
        if (stable != null) {
            duration("stable.window", stable.window());
            duration("stable.max", stable.max());
            if (!(stable.tolerance() > 0 && stable.tolerance() < 1)) {
                throw new IllegalArgumentException(
                        "stable.tolerance must be a fraction between 0 and 1, got " + stable.tolerance());
            }
            if (!(stable.jitShare() > 0 && stable.jitShare() < 1)) {
                throw new IllegalArgumentException(
                        "stable.jit must be a fraction between 0 and 1, got " + stable.jitShare());
            }
        }
        duration("measure", measure);
        duration("timeout", timeout);

        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        if (scenarios == null || scenarios.isEmpty()) {
            throw new IllegalArgumentException("scenarios must list at least one scenario");
        }
        for (Scenario scenario : scenarios) {
            String at = "scenario " + scenario.name() + ": ";
            if (scenario.name() == null || !scenario.name().matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("a scenario's name must be lowercase letters, digits and dashes");
            }
            if (!List.of("predict", "infer", "features", "mixed").contains(scenario.kind())) {
                throw new IllegalArgumentException(
                        at + "kind must be predict, infer, features or mixed, got " + scenario.kind());
            }
            if (!List.of("gateway", "direct", "nginx").contains(scenario.via())) {
                throw new IllegalArgumentException(at + "via must be gateway, direct or nginx, got " + scenario.via());
            }
            if (scenario.floor()
                    && (!scenario.rates().isEmpty()
                            || !scenario.concurrency().isEmpty()
                            || !scenario.cpuUs().isEmpty()
                            || scenario.overload() != null)) {
                throw new IllegalArgumentException(
                        at + "a scenario via nginx is a floor: its SLO run only, no sweeps," + " cpu_us or overload");
            }
            if (scenario.kind().equals("mixed") && scenario.via().equals("direct")) {
                throw new IllegalArgumentException(at + "a mixed workload spans services: via must be gateway");
            }
            Slo slo = scenario.slo();
            if (slo == null || !(slo.rate() > 0) || !(slo.p99Ms() > 0) || !(slo.errorRate() >= 0)) {
                throw new IllegalArgumentException(at + "slo needs a positive rate and p99_ms, and error_rate >= 0");
            }
            if (scenario.rates().stream().anyMatch(rate -> rate == null || !(rate > 0))
                    || scenario.concurrency().stream().anyMatch(clients -> clients == null || clients < 1)) {
                throw new IllegalArgumentException(at + "rates must be positive and concurrency at least 1");
            }
            scenario.cpuUs().forEach((process, budget) -> {
                if (!process.matches("[a-z0-9-]+") || budget == null || !(budget > 0)) {
                    throw new IllegalArgumentException(at + "cpu_us must map process names (or platform) to positive"
                            + " microseconds, got " + process + ": " + budget);
                }
            });
            Overload overload = scenario.overload();
            if (overload != null) {
                int self = scenarios.indexOf(scenario);
                if (scenarios.subList(0, self).stream()
                        .noneMatch(earlier -> earlier.name().equals(overload.of()))) {
                    throw new IllegalArgumentException(
                            at + "overload.of must name an earlier scenario, got " + overload.of());
                }
                duration(at + "overload.duration", overload.duration());
                duration(at + "overload.recovery", overload.recovery());
                if (!(overload.factor() > 1) || !(overload.p99Factor() >= 1) || !(overload.refusalMs() > 0)) {
                    throw new IllegalArgumentException(
                            at + "overload needs factor > 1, p99_factor >= 1 and a positive refusal_ms");
                }
                if (!scenario.rates().isEmpty() || !scenario.concurrency().isEmpty()) {
                    throw new IllegalArgumentException(at + "an overload scenario has no sweeps");
                }
            }
            checkRollout(scenario, at);
        }
    }

    private void checkRollout(Scenario scenario, String at) {
        Rollout rollout = scenario.rollout();
        if (rollout == null) {
            return;
        }
        if (!List.of("canary", "shadow").contains(rollout.strategy())) {
            throw new IllegalArgumentException(
                    at + "rollout.strategy must be canary or shadow, got " + rollout.strategy());
        }
        if (rollout.strategy().equals("canary")
                && (rollout.weight() == null || !(rollout.weight() > 0 && rollout.weight() <= 100))) {
            throw new IllegalArgumentException(
                    at + "rollout.weight must be a percent in (0, 100], got " + rollout.weight());
        }
        if (rollout.strategy().equals("shadow")
                && (rollout.share() == null || !(rollout.share() > 0 && rollout.share() <= 1))) {
            throw new IllegalArgumentException(
                    at + "rollout.share must be a fraction in (0, 1], got " + rollout.share());
        }
        if (!scenario.kind().equals("predict") || scenario.floor()) {
            throw new IllegalArgumentException(at + "a rollout runs through domain predictions (kind predict),"
                    + " direct or through the gateway");
        }
        if (!scenario.rates().isEmpty() || !scenario.concurrency().isEmpty() || scenario.overload() != null) {
            throw new IllegalArgumentException(at + "a rollout scenario has no sweeps and no overload");
        }
        if (rollout.pairs() < 1 || rollout.pairs() > 10) {
            throw new IllegalArgumentException(at + "rollout.pairs must be 1 to 10, got " + rollout.pairs());
        }
        if (!(rollout.addedP99Ms() > 0)) {
            throw new IllegalArgumentException(
                    at + "rollout.added_p99_ms must be positive, got " + rollout.addedP99Ms());
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}. */
    static Duration duration(String field, String text) {
        Matcher matcher = Pattern.compile("(\\d+)(ms|s|m)").matcher(text == null ? "" : text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(field + " must be a duration like 500ms, 10s or 2m, got " + text);
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }
}
