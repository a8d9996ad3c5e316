package dev.sextant.loadtest;

import dev.sextant.metrics.PrometheusText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A scenario's warm-up, until the platform serves its rate as it will in the measurement: the plan's {@code warmup}
 * as a slow start (a quarter of it at each of {@link #RAMP} of the rate), then windows of {@code stable.window}
 * until two in a row agree (p50 and p99 each within {@code stable.tolerance} of the larger, or within
 * {@link #NOISE_MS} of each other, and no request failed) and, in the second, no JVM on the path spent more than
 * {@code stable.jit} of the window compiling; at most {@code stable.max}. JIT compilation, connection pools and
 * caches settle at the rate they serve, not at a fixed time: a warm-up that stops too soon charges their settling to
 * the measurement, one that runs too long only costs time. Latency alone does not say when the JIT is done: on two
 * shared cores two windows can agree while C2 still compiles, and the measurement then pays its CPU.
 */
final class WarmUp {

    /**
     * The slow start's steps, as fractions of the SLO's rate. A cold JVM at full rate queues behind its own JIT
     * compiler (seconds of p99 on 2 cores), and the queue starves the compiler in turn; load balancers ramp new
     * instances up for the same reason (Envoy's slow_start_config, HAProxy's slowstart).
     */
    static final double[] RAMP = {0.1, 0.25, 0.5, 1.0};

    /** Latencies closer than this agree, whatever their ratio: below it, a 2-core machine's scheduling is noise. */
    static final double NOISE_MS = 0.2;

    /** Micrometer's JvmCompilationMetrics: the JVM's total JIT compilation time, in milliseconds. */
    static final String COMPILATION = "jvm_compilation_time_ms_total";

    /**
     * How long the warm-up took, whether it settled, each window's p99 (ms; the slow start's last step first) and the
     * share of each window that its busiest JVM spent compiling (the whole slow start first).
     */
    record Settled(Duration took, boolean stable, List<Double> p99s, List<Compiling> compiling) {}

    /** The JVM that spent the most of a window compiling, and that share of the window (0 when none reported). */
    record Compiling(String service, double share) {}

    private WarmUp() {}

    /** @param scrape every JVM's Prometheus exposition on the path, by service name */
    static Settled run(
            Load load,
            Load.Calls calls,
            double rate,
            Duration minimum,
            Plan.Stable stable,
            Supplier<Map<String, String>> scrape) {
        long started = System.nanoTime();
        List<Double> p99s = new ArrayList<>();
        List<Compiling> compiling = new ArrayList<>();
        Map<String, String> scraped = stable == null ? Map.of() : scrape.get();
        long scrapedAt = System.nanoTime();
        Load.Result previous = null;
        for (double step : RAMP) {
            previous = load.open(calls, rate * step, Duration.ZERO, minimum.dividedBy(RAMP.length));
        }
        p99s.add(previous.millis(99));
        if (stable == null) {
            return new Settled(Duration.ofNanos(System.nanoTime() - started), true, p99s, compiling);
        }
        Duration window = Plan.duration("stable.window", stable.window());
        Duration max = Plan.duration("stable.max", stable.max());
        Map<String, String> now = scrape.get();
        compiling.add(busiest(scraped, now, Duration.ofNanos(System.nanoTime() - scrapedAt)));
        scraped = now;
        scrapedAt = System.nanoTime();
        while (System.nanoTime() - started + window.toNanos() <= max.toNanos()) {
            Load.Result next = load.open(calls, rate, Duration.ZERO, window);
            p99s.add(next.millis(99));
            now = scrape.get();
            Compiling during = busiest(scraped, now, Duration.ofNanos(System.nanoTime() - scrapedAt));
            compiling.add(during);
            scraped = now;
            scrapedAt = System.nanoTime();
            if (agree(previous, next, stable.tolerance()) && during.share() <= stable.jitShare()) {
                return new Settled(Duration.ofNanos(System.nanoTime() - started), true, p99s, compiling);
            }
            previous = next;
        }
        return new Settled(Duration.ofNanos(System.nanoTime() - started), false, p99s, compiling);
    }

    /** Two windows agree when neither failed a request and their p50 and p99 agree. */
    static boolean agree(Load.Result a, Load.Result b, double tolerance) {
        return a.failed() == 0
                && b.failed() == 0
                && close(a.millis(50), b.millis(50), tolerance)
                && close(a.millis(99), b.millis(99), tolerance);
    }

    /**
     * The JVM that compiled the most between two scrapes {@code elapsed} apart, and the share of that time it spent
     * compiling; a service missing from either scrape, or without the counter, is left out.
     */
    static Compiling busiest(Map<String, String> before, Map<String, String> after, Duration elapsed) {
        Compiling busiest = new Compiling("-", 0);
        double millis = Math.max(1, elapsed.toNanos() / 1e6);
        for (var service : after.entrySet()) {
            Double then = compiled(before.get(service.getKey()));
            Double now = compiled(service.getValue());
            if (then != null && now != null && (now - then) / millis > busiest.share()) {
                busiest = new Compiling(service.getKey(), (now - then) / millis);
            }
        }
        return busiest;
    }

    private static Double compiled(String exposition) {
        return exposition == null ? null : Costs.sum(PrometheusText.parse(exposition), COMPILATION);
    }

    private static boolean close(double a, double b, double tolerance) {
        return Math.abs(a - b) <= Math.max(NOISE_MS, tolerance * Math.max(a, b));
    }
}
