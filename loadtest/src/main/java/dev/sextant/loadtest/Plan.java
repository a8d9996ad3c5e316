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
        List<Scenario> scenarios) {

    /**
     * The SLO runs' warm-up goes on after {@code warmup} in windows of {@code window} until two in a row agree
     * within {@code tolerance} (a fraction), for at most {@code max} in all ({@link WarmUp}).
     */
    record Stable(String window, double tolerance, String max) {}

    /** Warm-up and measurement of the shorter runs of a sweep. */
    record Runs(String warmup, String measure) {}

    record Saturation(String warmup, String measure, double growth, int bisections, double maxRate) {}

    /**
     * @param kind {@code predict} (domain API), {@code infer} (Open Inference Protocol), {@code features} (online
     *     read over HTTP) or {@code mixed}
     * @param via {@code gateway} or {@code direct} (the service itself)
     * @param rates the rate sweep's arrival rates
     * @param concurrency the concurrency sweep's client counts (closed loop)
     * @param cpuUs CPU budgets per request in the SLO run, in microseconds: {@code platform} (every process but the
     *     load generator) or a process by name ({@code gateway}); judged where the processes are measured
     */
    record Scenario(
            String name,
            String description,
            String kind,
            String via,
            Slo slo,
            List<Double> rates,
            List<Integer> concurrency,
            Map<String, Double> cpuUs) {

        Scenario {
            rates = rates == null ? List.of() : rates;
            concurrency = concurrency == null ? List.of() : concurrency;
            cpuUs = cpuUs == null ? Map.of() : new TreeMap<>(cpuUs);
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
            if (!List.of("gateway", "direct").contains(scenario.via())) {
                throw new IllegalArgumentException(at + "via must be gateway or direct, got " + scenario.via());
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
