package dev.sextant.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        Files.createDirectories(dir);
        List<Section> sections = sections(plan, smoke, floors, outcomes, skipped, started, finished);
        StringBuilder markdown = new StringBuilder("# Load test report\n");
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Sextant load"
                + " test</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;"
                + "text-align:right}td:first-child,th:first-child{text-align:left}.missed{color:#b00;font-weight:bold}"
                + ".met{color:#070}svg{margin:0.5em 1em 1em 0}</style></head><body><h1>Sextant load test</h1>");
        for (Section section : sections) {
            markdown.append("\n## ").append(section.title()).append("\n\n");
            html.append("<h2>").append(escape(section.title())).append("</h2>");
            for (String paragraph : section.text()) {
                markdown.append(paragraph).append("\n\n");
                html.append("<p>").append(escape(paragraph)).append("</p>");
            }
            for (Table table : section.tables()) {
                markdown.append(table.markdown()).append('\n');
                html.append(table.html());
            }
            section.charts().forEach(html::append);
        }
        html.append("</body></html>\n");
        Files.writeString(dir.resolve("report.md"), markdown, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);
    }

    private record Section(String title, List<String> text, List<Table> tables, List<String> charts) {}

    private record Table(List<String> header, List<List<String>> rows) {

        String markdown() {
            StringBuilder out = new StringBuilder("| " + String.join(" | ", header) + " |\n|");
            header.forEach(column -> out.append("---|"));
            out.append('\n');
            rows.forEach(row -> out.append("| ").append(String.join(" | ", row)).append(" |\n"));
            return out.toString();
        }

        String html() {
            StringBuilder out = new StringBuilder("<table><tr>");
            header.forEach(column -> out.append("<th>").append(escape(column)).append("</th>"));
            out.append("</tr>");
            for (List<String> row : rows) {
                out.append("<tr>");
                for (String cell : row) {
                    String style = cell.startsWith("MISSED")
                            ? " class=\"missed\""
                            : cell.equals("met") ? " class=\"met\"" : "";
                    out.append("<td")
                            .append(style)
                            .append('>')
                            .append(escape(cell))
                            .append("</td>");
                }
                out.append("</tr>");
            }
            return out.append("</table>").toString();
        }
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
        sections.add(new Section(
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
                List.of()));

        List<List<String>> floorRows = new ArrayList<>();
        for (Floors.Floor floor : floors) {
            floorRows.add(List.of(
                    floor.name(), String.valueOf(floor.samples()), ms(floor.p50()), ms(floor.p99()), ms(floor.p999())));
        }
        List<List<String>> ratios = new ArrayList<>();
        Map<String, Outcome> byName = new LinkedHashMap<>();
        outcomes.forEach(outcome -> byName.put(outcome.scenario().name(), outcome));
        for (Outcome outcome : outcomes) {
            String name = outcome.scenario().name();
            if (!name.endsWith("-gateway")) {
                continue;
            }
            Outcome direct = byName.get(name.replace("-gateway", "-direct"));
            if (direct == null) {
                continue;
            }
            ratios.add(List.of(
                    name + " vs " + direct.scenario().name(),
                    ms(outcome.slo().millis(50) - direct.slo().millis(50)),
                    ms(outcome.slo().millis(99) - direct.slo().millis(99)),
                    ratio(outcome.slo().millis(99), direct.slo().millis(99))));
        }
        List<List<String>> proxying = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            String name = outcome.scenario().name();
            Outcome nginx = byName.get(name.replace("-gateway", "-nginx"));
            if (!name.endsWith("-gateway") || nginx == null || !nginx.scenario().floor()) {
                continue;
            }
            Double gatewayCpu = outcome.costs().cpuMicros("gateway").orElse(null);
            Double nginxCpu = nginx.costs().cpuMicros("nginx").orElse(null);
            ratios.add(List.of(
                    name + " vs " + nginx.scenario().name(),
                    ms(outcome.slo().millis(50) - nginx.slo().millis(50)),
                    ms(outcome.slo().millis(99) - nginx.slo().millis(99)),
                    ratio(outcome.slo().millis(99), nginx.slo().millis(99))));
            proxying.add(List.of(
                    name + " vs " + nginx.scenario().name(),
                    ms(nginx.slo().millis(99)),
                    ms(outcome.slo().millis(99)),
                    micros(nginxCpu),
                    micros(gatewayCpu),
                    gatewayCpu == null || nginxCpu == null ? "–" : micros(gatewayCpu - nginxCpu),
                    gatewayCpu == null || nginxCpu == null ? "–" : ratio(gatewayCpu, nginxCpu),
                    micros(nginx.costs().cpuMicros(Costs.PLATFORM).orElse(null)),
                    micros(outcome.costs().cpuMicros(Costs.PLATFORM).orElse(null))));
        }
        Floors.Floor mlp = floors.get(0);
        Floors.Floor redis = floors.get(floors.size() - 1);
        for (Outcome outcome : outcomes) {
            String kind = outcome.scenario().kind();
            Floors.Floor floor = kind.equals("infer") ? mlp : kind.equals("features") ? redis : null;
            if (floor != null) {
                ratios.add(List.of(
                        outcome.scenario().name() + " vs " + floor.name(),
                        ms(outcome.slo().millis(50) - floor.p50()),
                        ms(outcome.slo().millis(99) - floor.p99()),
                        ratio(outcome.slo().millis(99), floor.p99())));
            }
        }
        sections.add(new Section(
                "Floors, and what each layer adds",
                List.of("Measured in the same run on the same machine, so the ratios hold on a noisy one. The third"
                        + " floor, the prediction service without the gateway, is each -direct scenario; the floor of"
                        + " proxying, nginx as a plain reverse proxy in front of the same services, is each -nginx"
                        + " scenario, and the gateway's CPU is read against nginx's in the same run."),
                java.util.stream.Stream.of(
                                new Table(List.of("floor", "samples", "p50", "p99", "p99.9"), floorRows),
                                new Table(
                                        List.of("comparison", "p50 added (ms)", "p99 added (ms)", "p99 ratio"), ratios),
                                proxying.isEmpty()
                                        ? null
                                        : new Table(
                                                List.of(
                                                        "the gateway against nginx (same requests, same run)",
                                                        "nginx p99 (ms)",
                                                        "gateway p99 (ms)",
                                                        "nginx CPU µs/request",
                                                        "gateway CPU µs/request",
                                                        "gateway adds µs",
                                                        "CPU ratio",
                                                        "platform µs via nginx",
                                                        "platform µs via gateway"),
                                                proxying))
                        .filter(java.util.Objects::nonNull)
                        .toList(),
                List.of()));

        for (Outcome outcome : outcomes) {
            Plan.Scenario scenario = outcome.scenario();
            List<Table> tables = new ArrayList<>();
            List<String> charts = new ArrayList<>();
            List<List<String>> stageRows = new ArrayList<>();
            for (Stages.Measured stage : outcome.stages()) {
                stageRows.add(List.of(
                        stage.stage(), number(stage.count()), ms(stage.mean()), ms(stage.p50()), ms(stage.p99())));
            }
            tables.add(new Table(
                    List.of("stage (the services' own histograms)", "count", "mean", "p50", "p99"), stageRows));
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
            sections.add(new Section(
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
                    charts));
        }
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
        if (!rollouts.isEmpty()) {
            sections.add(new Section(
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
        return sections;
    }

    /** Each process's CPU and allocation per request in the SLO run, the platform's sum, the load generator. */
    private static Table costs(Costs.Measured costs) {
        List<List<String>> rows = new ArrayList<>();
        List<Costs.Cost> all = new ArrayList<>(costs.processes());
        all.add(
                all.isEmpty() || !all.get(all.size() - 1).process().equals(Costs.LOAD_GENERATOR)
                        ? all.size()
                        : all.size() - 1,
                costs.platform());
        for (Costs.Cost cost : all) {
            rows.add(List.of(
                    cost.process().equals(Costs.PLATFORM)
                            ? "platform (sum, without the load generator)"
                            : cost.process(),
                    number(Math.round(cost.cpuMicros())),
                    String.format(Locale.ROOT, "%.2f", cost.cores()),
                    cost.allocatedKb() == null ? "–" : String.format(Locale.ROOT, "%.1f", cost.allocatedKb())));
        }
        return new Table(
                List.of("process (CPU time from the OS)", "CPU µs/request", "cores busy", "allocated KB/request"),
                rows);
    }

    private static Table sweep(String first, List<Load.Result> results) {
        List<List<String>> rows = new ArrayList<>();
        for (Load.Result r : results) {
            List<String> row = new ArrayList<>();
            row.add(r.concurrency() > 0 ? String.valueOf(r.concurrency()) : number(r.offeredRate()));
            row.addAll(latencies(r));
            rows.add(row);
        }
        return new Table(List.of(first, "answered/s", "p50", "p90", "p99", "p99.9", "max", "errors"), rows);
    }

    /** Answered per second, p50, p90, p99, p99.9, max (ms) and errors: the columns every run's row has. */
    private static List<String> latencies(Load.Result r) {
        return List.of(
                number(r.achievedRate()),
                ms(r.millis(50)),
                ms(r.millis(90)),
                ms(r.millis(99)),
                ms(r.millis(99.9)),
                ms(r.maxMillis()),
                errors(r));
    }

    private static String errors(Load.Result r) {
        if (r.errors().isEmpty()) {
            return "0";
        }
        List<String> kinds = new ArrayList<>();
        r.errors().forEach((kind, count) -> kinds.add(count + " " + kind));
        return String.join(", ", kinds);
    }

    static String ms(Double value) {
        return value == null || value.isNaN()
                ? "–"
                : String.format(Locale.ROOT, Math.abs(value) < 1 ? "%.3f" : "%.2f", value);
    }

    static String number(double value) {
        return Double.isNaN(value)
                ? "–"
                : value == Math.rint(value)
                        ? String.format(Locale.ROOT, "%,.0f", value)
                        : String.format(Locale.ROOT, "%,.1f", value);
    }

    private static String micros(Double value) {
        return value == null ? "–" : number(Math.round(value));
    }

    private static String ratio(double value, double floor) {
        return floor > 0 && !Double.isNaN(value) ? String.format(Locale.ROOT, "%.1f×", value / floor) : "–";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
