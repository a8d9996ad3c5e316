package dev.sextant.loadtest;

import static dev.sextant.loadtest.Cells.micros;
import static dev.sextant.loadtest.Cells.ms;
import static dev.sextant.loadtest.Cells.ratio;

import dev.sextant.loadtest.ReportDocument.Section;
import dev.sextant.loadtest.ReportDocument.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's section on floors and what each layer adds: the floors measured in the run, each scenario through
 * the gateway against the same one direct and through nginx, and each model or feature scenario against its floor;
 * the gateway's CPU against nginx's on the same requests.
 */
final class LayerComparisons {

    private LayerComparisons() {}

    static Section section(List<Floors.Floor> floors, List<Outcome> outcomes) {
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
        return new Section(
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
                List.of());
    }
}
