package dev.sextant.loadtest;

import dev.sextant.loadtest.ReportDocument.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the report writes figures (milliseconds, counts, µs, ratios) and the tables every scenario has. */
final class Cells {

    private Cells() {}

    /** Each process's CPU and allocation per request in the SLO run, the platform's sum, the load generator. */
    static Table costs(Costs.Measured costs) {
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

    static Table sweep(String first, List<Load.Result> results) {
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
    static List<String> latencies(Load.Result r) {
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

    static String micros(Double value) {
        return value == null ? "–" : number(Math.round(value));
    }

    static String ratio(double value, double floor) {
        return floor > 0 && !Double.isNaN(value) ? String.format(Locale.ROOT, "%.1f×", value / floor) : "–";
    }
}
