package dev.sextant.loadtest;

import static dev.sextant.loadtest.Cells.costs;
import static dev.sextant.loadtest.Cells.latencies;
import static dev.sextant.loadtest.Cells.ms;
import static dev.sextant.loadtest.Cells.number;
import static dev.sextant.loadtest.Cells.sweep;

import dev.sextant.loadtest.ReportDocument.Section;
import dev.sextant.loadtest.ReportDocument.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load test's report: {@code report.md} (tables: verdicts, floors and the ratios to them, where the time goes,
 * the sweeps, the saturation) and {@code report.html} (the same tables, with latency over time for each SLO run and
 * latency against rate for each sweep, drawn as inline SVG so the file stands alone, offline).
 */
final class Report {

    private Report() {}

    static void write(
            Path dir,
            Plan plan,
            boolean smoke,
            List<Floors.Floor> floors,
            List<Outcome> outcomes,
            List<String> skipped,
            Instant started,
            Instant finished)
            throws IOException {
        ReportDocument.write(dir, sections(plan, smoke, floors, outcomes, skipped, started, finished));
    }

    private static List<Section> sections(
            Plan plan,
            boolean smoke,
            List<Floors.Floor> floors,
            List<Outcome> outcomes,
            List<String> skipped,
            Instant started,
            Instant finished) {
        List<Section> sections = new ArrayList<>();
        sections.add(verdicts(smoke, outcomes, skipped, started, finished));
        sections.add(LayerComparisons.section(floors, outcomes));
        outcomes.forEach(outcome -> sections.add(scenario(outcome)));
        rollouts(smoke, outcomes).ifPresent(sections::add);
        return sections;
    }

    /** Each scenario's SLO, what it measured, its verdicts, its platform CPU and its saturation. */
    private static Section verdicts(
            boolean smoke, List<Outcome> outcomes, List<String> skipped, Instant started, Instant finished) {
        List<List<String>> verdicts = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            Load.Result r = outcome.slo();
            Plan.Slo slo = outcome.scenario().slo();
            List<String> row = new ArrayList<>(List.of(
                    outcome.scenario().name(),
                    String.format(
                            Locale.ROOT,
                            "p99 ≤ %s ms at %s/s, errors ≤ %s %%",
                            number(slo.p99Ms()),
                            number(slo.rate()),
                            number(100 * slo.errorRate())),
                    number(r.offeredRate())));
            row.addAll(latencies(r));
            row.add(outcome.verdict());
            row.add(outcome.warmUp().took().toSeconds() + (outcome.warmUp().stable() ? "" : " (not stable)"));
            row.add(outcome.costs()
                    .cpuMicros(Costs.PLATFORM)
                    .map(micros -> number(Math.round(micros)))
                    .orElse("–"));
            row.add(outcome.scenario().cpuUs().isEmpty() ? "–" : outcome.cpuVerdict());
            row.add(
                    outcome.rollout() != null
                            ? "rollout scenario"
                            : outcome.overload() != null
                                    ? "overload scenario"
                                    : outcome.scenario().floor()
                                            ? "floor"
                                            : outcome.saturation() == null
                                                    ? (smoke ? "not searched" : "below every rate tried")
                                                    : number(outcome.saturation()));
            verdicts.add(row);
        }
        List<String> verdictText = new ArrayList<>(List.of(
                String.format(
                        Locale.ROOT,
                        "%s run, %s to %s (%d s). Open loop: requests start at the offered"
                                + " rate whatever the answers do, and latency counts from each request's"
                                + " scheduled start, so queueing behind a stall is charged. Warm-up excluded: it"
                                + " lasts until two windows in a row agree (plan.yaml, stable).%s",
                        smoke ? "Smoke" : "Full",
                        started,
                        finished,
                        Duration.between(started, finished).toSeconds(),
                        smoke ? " Smoke runs are short and at a low rate: their times are not judged." : ""),
                "Latencies in milliseconds; saturation is the highest rate found that still meets the SLO."
                        + " Platform CPU is the CPU time every process of the platform but the load"
                        + " generator spent during the SLO run, per request sent; the CPU budget is the"
                        + " scenario's (plan.yaml, cpu_us). A scenario via nginx is a floor: nginx as a plain"
                        + " reverse proxy, measured to read the gateway against, not judged."));
        skipped.forEach(verdictText::add);
        return new Section(
                "Verdicts",
                verdictText,
                List.of(new Table(
                        List.of(
                                "scenario",
                                "SLO",
                                "offered/s",
                                "answered/s",
                                "p50",
                                "p90",
                                "p99",
                                "p99.9",
                                "max",
                                "errors",
                                "verdict",
                                "warm-up s",
                                "platform CPU µs/request",
                                "CPU budget",
                                "saturation/s"),
                        verdicts)),
                List.of());
    }

    /** A scenario's own section: where the time goes, its costs, latency over time and its sweeps. */
    private static Section scenario(Outcome outcome) {
        Plan.Scenario scenario = outcome.scenario();
        List<Table> tables = new ArrayList<>();
        List<String> charts = new ArrayList<>();
        List<List<String>> stageRows = new ArrayList<>();
        for (Stages.Measured stage : outcome.stages()) {
            stageRows.add(
                    List.of(stage.stage(), number(stage.count()), ms(stage.mean()), ms(stage.p50()), ms(stage.p99())));
        }
        tables.add(
                new Table(List.of("stage (the services' own histograms)", "count", "mean", "p50", "p99"), stageRows));
        tables.add(costs(outcome.costs()));
        charts.add(Svg.chart(
                scenario.name() + ": latency over time at "
                        + number(outcome.slo().offeredRate()) + "/s",
                "second",
                "ms",
                Map.of(
                        "p50",
                                outcome.slo().timeline().stream()
                                        .map(s -> new double[] {s.second(), s.p50()})
                                        .toList(),
                        "p99",
                                outcome.slo().timeline().stream()
                                        .map(s -> new double[] {s.second(), s.p99()})
                                        .toList(),
                        "max",
                                outcome.slo().timeline().stream()
                                        .map(s -> new double[] {s.second(), s.max()})
                                        .toList())));
        if (!outcome.rates().isEmpty()) {
            tables.add(sweep("offered/s", outcome.rates()));
            charts.add(Svg.chart(
                    scenario.name() + ": latency against offered rate",
                    "requests/s",
                    "ms",
                    Map.of(
                            "p50",
                                    outcome.rates().stream()
                                            .map(r -> new double[] {r.offeredRate(), r.millis(50)})
                                            .toList(),
                            "p99",
                                    outcome.rates().stream()
                                            .map(r -> new double[] {r.offeredRate(), r.millis(99)})
                                            .toList())));
        }
        if (!outcome.concurrency().isEmpty()) {
            tables.add(sweep("clients", outcome.concurrency()));
        }
        if (!outcome.search().isEmpty()) {
            tables.add(sweep("saturation search, offered/s", outcome.search()));
        }
        return new Section(
                scenario.name() + " (" + scenario.via() + ")",
                java.util.stream.Stream.of(
                                scenario.description(),
                                LoadTest.warmUp(outcome.warmUp()),
                                outcome.overload() == null ? null : LoadTest.overloaded(outcome.overload()),
                                outcome.rollout() == null
                                        ? null
                                        : LoadTest.rolloutCost(outcome.rollout()) + " — "
                                                + outcome.rollout().verdict(),
                                "SLO run: " + LoadTest.summary(outcome.slo()) + " — " + outcome.verdict())
                        .filter(java.util.Objects::nonNull)
                        .toList(),
                tables,
                charts);
    }

    /** What each rollout scenario's canary or shadow added; empty when the plan ran none. */
    private static java.util.Optional<Section> rollouts(boolean smoke, List<Outcome> outcomes) {
        List<List<String>> rollouts = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            RolloutRun.Cost cost = outcome.rollout();
            if (cost != null) {
                rollouts.add(List.of(
                        outcome.scenario().name(),
                        String.valueOf(cost.pairs()),
                        ms(cost.withoutP99Ms()),
                        ms(cost.withP99Ms()),
                        String.format(Locale.ROOT, "%+.2f", cost.addedP99Ms()),
                        cost.addedServiceP99Ms() == null
                                ? "–"
                                : String.format(Locale.ROOT, "%+.2f", cost.addedServiceP99Ms()),
                        "≤ " + number(cost.targetMs()),
                        cost.addedCpuMicros() == null
                                ? "–"
                                : String.format(Locale.ROOT, "%+.0f", cost.addedCpuMicros()),
                        cost.shadowCpuMicros() == null ? "–" : number(Math.round(cost.shadowCpuMicros())),
                        smoke ? "smoke" : cost.verdict()));
            }
        }
        if (rollouts.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Section(
                "Rollouts' cost",
                List.of("Each rollout scenario runs its requests in pairs of runs, without then with a rollout of"
                        + " the fraud model, in the same warm state: a canary of a second version (the same ONNX"
                        + " file and binding, so what it adds is the rollout's own work: assignment, a second"
                        + " session) or its shadow. p99 and platform CPU per request added: medians over the"
                        + " pairs; the shadow's own CPU per request is its scoring threads'"
                        + " (sextant_prediction_shadow_cpu_seconds_total)."),
                List.of(new Table(
                        List.of(
                                "scenario",
                                "pairs",
                                "p99 without (ms)",
                                "p99 with (ms)",
                                "added p99 (ms)",
                                "added in-service p99 (ms)",
                                "target (ms)",
                                "added platform CPU (µs/request)",
                                "shadow CPU (µs/request)",
                                "verdict"),
                        rollouts)),
                List.of()));
    }
}
