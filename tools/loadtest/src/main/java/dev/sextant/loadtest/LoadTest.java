package dev.sextant.loadtest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The load test: prepares the platform (models, features), measures the floors, then for each scenario of the plan
 * an open-loop run at its SLO's rate (verdict, and the services' stages), a rate sweep, a concurrency sweep and a
 * saturation search; writes {@code report.md} and {@code report.html}. Exits 1 when an SLO is missed.
 *
 * <p>{@code --smoke}: every scenario once, 3 seconds at a low rate, no sweeps; fails only when a scenario's requests
 * fail (for CI, whose machines are too noisy for absolute times).
 *
 * <p>Usage: {@code java -jar tools/loadtest/target/loadtest.jar --gateway URL --prediction URL --features URL --registry URL
 * --redis URL [--monitoring URL] [--processes name=pid,...] [--plan FILE] [--out DIR] [--smoke]}, with the gateway's API
 * key in {@code SEXTANT_LOADTEST_KEY}. {@code --processes} names the platform's processes whose CPU time is measured
 * ({@code ./sextant} passes every process it started).
 */
public final class LoadTest {

    private LoadTest() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        boolean smoke = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--smoke")) {
                smoke = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i] + "; see the class comment");
            }
        }
        Plan plan = Plan.load(options.containsKey("plan") ? Path.of(options.get("plan")) : null);
        Path out = Path.of(options.getOrDefault("out", "target/loadtest"));
        if (!Files.isRegularFile(plan.fraudModelFile())) {
            throw new IllegalArgumentException("fraud_model: no file "
                    + plan.fraudModelFile().toAbsolutePath() + " (paths are from the repository's root)");
        }
        String prediction = options.getOrDefault("prediction", "http://localhost:8081");
        String features = options.getOrDefault("features", "http://localhost:8082");
        Costs costs = Costs.parse(options.get("processes"));
        List<String> skipped = new ArrayList<>();
        Nginx nginx = null;
        if (plan.scenarios().stream().anyMatch(Plan.Scenario::floor)) {
            Optional<Path> executable = Nginx.executable();
            if (executable.isPresent()) {
                nginx = Nginx.start(executable.get(), out.resolve("nginx"), prediction, features);
                costs = costs.and("nginx", nginx.pid());
                Runtime.getRuntime().addShutdownHook(new Thread(nginx::close));
                say("Started " + nginx + ", the floor of proxying");
            } else {
                plan.scenarios().stream()
                        .filter(Plan.Scenario::floor)
                        .forEach(scenario -> skipped.add(
                                scenario.name() + ": not run, nginx is not installed (apt-get install nginx)"));
                say("nginx is not installed: " + String.join("; ", skipped));
            }
        }
        Platform platform = new Platform(
                options.getOrDefault("gateway", "http://localhost:8080"),
                prediction,
                features,
                options.getOrDefault("registry", "http://localhost:8083"),
                options.getOrDefault("redis", "redis://localhost:6379"),
                System.getenv().getOrDefault("SEXTANT_LOADTEST_KEY", ""),
                nginx == null ? null : nginx.url,
                plan.fraudModelFile());
        Instant started = Instant.now();

        say("Preparing the platform: models " + Platform.FRAUD + " (" + plan.fraudModelFile() + ") and " + Platform.MLP
                + " as champions, online features of " + Platform.CARDS + " cards and " + Platform.MERCHANTS
                + " merchants");
        platform.prepare();
        say("Floors, in this process");
        List<Floors.Floor> floors = Floors.measure(platform, smoke ? 2_000 : 20_000);
        floors.forEach(floor -> detail(
                String.format(Locale.ROOT, "%-90s p50 %.3f ms, p99 %.3f ms", floor.name(), floor.p50(), floor.p99())));

        Duration warmup = smoke ? Duration.ofSeconds(2) : Plan.duration("warmup", plan.warmup());
        Duration measure = smoke ? Duration.ofSeconds(3) : Plan.duration("measure", plan.measure());
        Stages stages = new Stages(Map.of(
                "gateway",
                platform.gateway,
                "prediction-service",
                prediction,
                "feature-store",
                features,
                "monitoring",
                options.getOrDefault("monitoring", "http://localhost:8085")));
        List<Outcome> outcomes = new ArrayList<>();
        try (Load load = new Load(plan.connections(), Plan.duration("timeout", plan.timeout()))) {
            long seed = 1;
            for (Plan.Scenario scenario : plan.scenarios()) {
                if (scenario.floor() && nginx == null) {
                    continue;
                }
                Load.Calls calls = platform.calls(scenario, seed++);
                double rate = smoke
                        ? Math.min(50, scenario.slo().rate())
                        : scenario.slo().rate();
                say(String.format(
                        Locale.ROOT,
                        "%s: %s; %.0f requests/s for %d s after at least %d s of warm-up",
                        scenario.name(),
                        scenario.description(),
                        rate,
                        measure.toSeconds(),
                        warmup.toSeconds()));
                WarmUp.Settled settled =
                        WarmUp.run(load, calls, rate, warmup, smoke ? null : plan.stable(), stages::scrape);
                detail(warmUp(settled));
                Outcome.Overloaded overloaded = null;
                if (scenario.overload() != null) {
                    overloaded = overload(load, calls, scenario, outcomes, rate, smoke);
                    detail(overloaded(overloaded));
                }
                RolloutRun.Cost rolloutCost = null;
                Measurement measurement;
                if (scenario.rollout() == null) {
                    measurement = Measurement.take(load, calls, rate, Duration.ZERO, measure, costs, stages);
                } else {
                    // the same requests without and with the rollout, alternately, in the same warm state
                    List<Measurement> without = new ArrayList<>();
                    List<Measurement> with = new ArrayList<>();
                    int pairs = smoke ? 1 : scenario.rollout().pairs();
                    Duration settle = smoke
                            ? Duration.ofSeconds(1)
                            : Plan.duration("sweep.warmup", plan.sweep().warmup());
                    for (int pair = 0; pair < pairs; pair++) {
                        without.add(Measurement.take(load, calls, rate, Duration.ZERO, measure, costs, stages));
                        try (RolloutRun rollout = RolloutRun.start(platform, scenario.rollout())) {
                            with.add(Measurement.take(load, calls, rate, settle, measure, costs, stages));
                        }
                        detail(String.format(
                                Locale.ROOT,
                                "pair %d: without the rollout p99 %.2f ms, platform %s µs; with it p99 %.2f ms,"
                                        + " platform %s µs",
                                pair + 1,
                                without.get(pair).result().millis(99),
                                without.get(pair).platformMicros(),
                                with.get(pair).result().millis(99),
                                with.get(pair).platformMicros()));
                    }
                    rolloutCost = RolloutRun.cost(scenario.rollout(), without, with);
                    measurement = with.get(with.size() - 1);
                }
                Load.Result result = measurement.result();
                List<Stages.Measured> measured = Stages.between(measurement.before(), measurement.after());
                Costs.Measured spent = measurement.spent();
                String verdict = smoke
                        ? "smoke"
                        : scenario.floor()
                                ? "floor, not judged (" + scenario.slo().verdict(result) + ")"
                                : overloaded == null
                                        ? scenario.slo().verdict(result)
                                        : both(
                                                overloaded.verdict(),
                                                scenario.slo().verdict(result));
                String cpuVerdict = smoke ? "smoke" : scenario.cpuVerdict(spent);
                detail(summary(result) + " — " + verdict);
                detail(cost(spent) + (scenario.cpuUs().isEmpty() ? "" : " — " + cpuVerdict));
                if (rolloutCost != null) {
                    detail(rolloutCost(rolloutCost) + (smoke ? "" : " — " + rolloutCost.verdict()));
                }
                List<Load.Result> rates = new ArrayList<>();
                List<Load.Result> concurrency = new ArrayList<>();
                List<Load.Result> search = new ArrayList<>();
                Double saturation = null;
                if (!smoke && overloaded == null && !scenario.floor() && scenario.rollout() == null) {
                    Duration sweepWarmup =
                            Plan.duration("sweep.warmup", plan.sweep().warmup());
                    Duration sweepMeasure =
                            Plan.duration("sweep.measure", plan.sweep().measure());
                    for (double sweep : scenario.rates()) {
                        rates.add(load.open(calls, sweep, sweepWarmup, sweepMeasure));
                        detail("rate sweep: " + summary(rates.get(rates.size() - 1)));
                    }
                    for (int clients : scenario.concurrency()) {
                        concurrency.add(load.closed(calls, clients, sweepWarmup, sweepMeasure));
                        detail("concurrency sweep: " + summary(concurrency.get(concurrency.size() - 1)));
                    }
                    saturation = saturate(load, calls, scenario.slo(), plan.saturation(), search);
                    detail(
                            saturation == null
                                    ? "saturation: the SLO is not met even at the lowest rate tried"
                                    : String.format(
                                            Locale.ROOT, "saturation: %.0f requests/s meets the SLO", saturation));
                }
                outcomes.add(new Outcome(
                        scenario,
                        result,
                        verdict,
                        settled,
                        measured,
                        spent,
                        cpuVerdict,
                        rates,
                        concurrency,
                        search,
                        saturation,
                        overloaded,
                        rolloutCost));
            }
        }
        if (nginx != null) {
            nginx.close();
        }
        Report.write(out, plan, smoke, floors, outcomes, skipped, started, Instant.now());
        say("Report: " + out.resolve("report.md") + " and " + out.resolve("report.html"));

        List<String> failed = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (smoke ? outcome.slo().errorRate() > 0.1 || outcome.slo().answered() == 0 : !outcome.met()) {
                failed.add(outcome.scenario().name() + " ("
                        + (smoke
                                ? summary(outcome.slo())
                                : String.join(
                                        "; ",
                                        Stream.of(
                                                        outcome.verdict(),
                                                        "CPU " + outcome.cpuVerdict(),
                                                        outcome.rollout() == null
                                                                ? ""
                                                                : "rollout "
                                                                        + outcome.rollout()
                                                                                .verdict())
                                                .filter(v -> v.contains("MISSED"))
                                                .toList()))
                        + ")");
            }
        }
        if (!failed.isEmpty()) {
            System.out.println((smoke ? "FAILED, requests failing: " : "SLO MISSED: ") + String.join("; ", failed));
            System.exit(1);
        }
        System.out.println(smoke ? "Smoke run passed (times not judged)" : "Every SLO met");
    }

    /**
     * The highest rate that meets the SLO: from the SLO's rate, grow by {@code growth} while it holds (up to {@code
     * max_rate}), or shrink while it does not (down to a tenth of the SLO's rate); then halve the gap between the last
     * rate met and the first missed.
     */
    static Double saturate(
            Load load, Load.Calls calls, Plan.Slo slo, Plan.Saturation settings, List<Load.Result> steps) {
        Duration warmup = Plan.duration("saturation.warmup", settings.warmup());
        Duration measure = Plan.duration("saturation.measure", settings.measure());
        double met = 0;
        double missed = Double.POSITIVE_INFINITY;
        double rate = slo.rate();
        while (steps.size() < 12) {
            Load.Result step = load.open(calls, rate, warmup, measure);
            steps.add(step);
            if (slo.metBy(step)) {
                met = rate;
                if (rate >= settings.maxRate() || missed < Double.POSITIVE_INFINITY) {
                    break;
                }
                rate = Math.min(settings.maxRate(), rate * settings.growth());
            } else {
                missed = rate;
                if (met > 0) {
                    break;
                }
                rate = rate / settings.growth();
                if (rate < Math.max(10, slo.rate() / 10)) {
                    return null; // missed at a tenth of the target rate: the report says below every rate tried
                }
            }
        }
        for (int i = 0; i < settings.bisections() && met > 0 && missed < Double.POSITIVE_INFINITY; i++) {
            rate = (met + missed) / 2;
            Load.Result step = load.open(calls, rate, warmup, measure);
            steps.add(step);
            if (slo.metBy(step)) {
                met = rate;
            } else {
                missed = rate;
            }
        }
        return met > 0 ? met : null;
    }

    static String rolloutCost(RolloutRun.Cost cost) {
        return String.format(
                Locale.ROOT,
                "the rollout adds %+.2f ms to the p99 (median of %d pairs; %.2f → %.2f ms)%s%s%s",
                cost.addedP99Ms(),
                cost.pairs(),
                cost.withoutP99Ms(),
                cost.withP99Ms(),
                cost.addedServiceP99Ms() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", %+.2f ms to the prediction service's own p99",
                                cost.addedServiceP99Ms()),
                cost.addedCpuMicros() == null
                        ? ""
                        : String.format(Locale.ROOT, ", %+.0f µs of platform CPU per request", cost.addedCpuMicros()),
                cost.shadowCpuMicros() == null
                        ? ""
                        : String.format(Locale.ROOT, ", the shadow's own %.0f µs per request", cost.shadowCpuMicros()));
    }

    static String summary(Load.Result result) {
        return String.format(
                Locale.ROOT,
                "%s: %,d sent, %.0f/s answered, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms,"
                        + " %d errors%s",
                result.concurrency() > 0
                        ? result.concurrency() + " clients"
                        : String.format(Locale.ROOT, "%.0f/s offered", result.offeredRate()),
                result.sent(),
                result.achievedRate(),
                result.millis(50),
                result.millis(90),
                result.millis(99),
                result.millis(99.9),
                result.maxMillis(),
                result.failed(),
                result.errors().isEmpty() ? "" : " " + result.errors());
    }

    /**
     * An overload scenario's overload and recovery: {@code factor} times the saturation of the scenario it names
     * (or of its own SLO's rate when none was found) for its duration, then its SLO's rate for the recovery.
     */
    static Outcome.Overloaded overload(
            Load load, Load.Calls calls, Plan.Scenario scenario, List<Outcome> earlier, double rate, boolean smoke) {
        Plan.Overload settings = scenario.overload();
        Double saturation = earlier.stream()
                .filter(outcome -> outcome.scenario().name().equals(settings.of()))
                .map(Outcome::saturation)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(null);
        double base = smoke || saturation == null ? rate : saturation;
        double overloadRate = settings.factor() * base;
        Duration duration = smoke ? Duration.ofSeconds(3) : Plan.duration("overload.duration", settings.duration());
        Duration recovery = smoke ? Duration.ofSeconds(1) : Plan.duration("overload.recovery", settings.recovery());
        Load.Result overload = load.open(calls, overloadRate, Duration.ZERO, duration);
        Load.Result recovered = load.open(calls, rate, Duration.ZERO, recovery);
        return new Outcome.Overloaded(
                saturation, overload, recovered, smoke ? "smoke" : settings.verdict(overload, scenario.slo()));
    }

    /** "met" when both are, else what either missed. */
    static String both(String first, String second) {
        if (first.equals("met") && second.equals("met")) {
            return "met";
        }
        return "MISSED:"
                + java.util.stream.Stream.of(first, second)
                        .filter(verdict -> verdict.startsWith("MISSED:"))
                        .map(verdict -> verdict.substring("MISSED:".length()))
                        .collect(java.util.stream.Collectors.joining(";"));
    }

    static String overloaded(Outcome.Overloaded overloaded) {
        Load.Result run = overloaded.run();
        return String.format(
                Locale.ROOT,
                "overload: %.0f/s offered (%s) for %.0f s: %,d answered 2xx (p99 %.2f ms), %,d refused (p99 %.2f"
                        + " ms), %,d other failures — %s; then %.0f s at the SLO's rate: p99 %.2f ms",
                run.offeredRate(),
                overloaded.saturation() == null
                        ? "of the SLO's rate"
                        : String.format(Locale.ROOT, "of a saturation of %.0f/s", overloaded.saturation()),
                run.seconds(),
                run.succeeded().getTotalCount(),
                percentile(run.succeeded(), 99),
                run.refusals(),
                percentile(run.refused(), 99),
                run.failed() - run.refusals(),
                overloaded.verdict(),
                overloaded.recovery().seconds(),
                overloaded.recovery().millis(99));
    }

    private static double percentile(org.HdrHistogram.Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e3;
    }

    static String warmUp(WarmUp.Settled settled) {
        String line = String.format(
                Locale.ROOT,
                "warm-up: %d s, %s; p99 by window %s ms",
                settled.took().toSeconds(),
                settled.stable() ? "stable" : "NOT stable by the plan's stable.max",
                settled.p99s().stream()
                        .map(p99 -> String.format(Locale.ROOT, "%.2f", p99))
                        .toList());
        if (settled.compiling().isEmpty()) {
            return line;
        }
        return line + "; busiest JIT compiler by window "
                + settled.compiling().stream()
                        .map(jit -> String.format(Locale.ROOT, "%s %.0f %%", jit.service(), jit.share() * 100))
                        .toList();
    }

    /** The platform's CPU and allocation per request, and each process's CPU. */
    static String cost(Costs.Measured costs) {
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "CPU per request: platform %.0f µs (%.2f cores)",
                costs.platform().cpuMicros(),
                costs.platform().cores()));
        for (Costs.Cost process : costs.processes()) {
            line.append(String.format(Locale.ROOT, ", %s %.0f", process.process(), process.cpuMicros()));
        }
        if (costs.platform().allocatedKb() != null) {
            line.append(String.format(
                    Locale.ROOT,
                    "; allocated %.1f KB per request",
                    costs.platform().allocatedKb()));
        }
        return line.toString();
    }

    private static void say(String message) {
        System.out.println("\n==> " + message);
    }

    private static void detail(String message) {
        System.out.println("    " + message);
    }
}
