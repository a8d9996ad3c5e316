package dev.sextant.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario's warm-up, until its latency at the SLO's rate is stable: the plan's {@code warmup} as a slow start
 * (a quarter of it at each of {@link #RAMP} of the rate), then windows of {@code stable.window} until two in a row agree (p50 and p99 each within {@code stable.tolerance} of
 * the larger, or within {@link #NOISE_MS} of each other, and no request failed), at most {@code stable.max}.
 * JIT compilation, connection pools and caches settle at the rate they serve, not at a fixed time: a warm-up that
 * stops too soon charges their settling to the measurement, one that runs too long only costs time.
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

    /** How long the warm-up took, whether it settled, and each window's p99 (ms), the first run included. */
    record Settled(Duration took, boolean stable, List<Double> p99s) {}

    private WarmUp() {}

    static Settled run(Load load, Load.Calls calls, double rate, Duration minimum, Plan.Stable stable) {
        long started = System.nanoTime();
        List<Double> p99s = new ArrayList<>();
        Load.Result previous = null;
        for (double step : RAMP) {
            previous = load.open(calls, rate * step, Duration.ZERO, minimum.dividedBy(RAMP.length));
        }
        p99s.add(previous.millis(99));
        if (stable == null) {
            return new Settled(Duration.ofNanos(System.nanoTime() - started), true, p99s);
        }
        Duration window = Plan.duration("stable.window", stable.window());
        Duration max = Plan.duration("stable.max", stable.max());
        while (System.nanoTime() - started + window.toNanos() <= max.toNanos()) {
            Load.Result next = load.open(calls, rate, Duration.ZERO, window);
            p99s.add(next.millis(99));
            if (agree(previous, next, stable.tolerance())) {
                return new Settled(Duration.ofNanos(System.nanoTime() - started), true, p99s);
            }
            previous = next;
        }
        return new Settled(Duration.ofNanos(System.nanoTime() - started), false, p99s);
    }

    /** Two windows agree when neither failed a request and their p50 and p99 agree. */
    static boolean agree(Load.Result a, Load.Result b, double tolerance) {
        return a.failed() == 0
                && b.failed() == 0
                && close(a.millis(50), b.millis(50), tolerance)
                && close(a.millis(99), b.millis(99), tolerance);
    }

    private static boolean close(double a, double b, double tolerance) {
        return Math.abs(a - b) <= Math.max(NOISE_MS, tolerance * Math.max(a, b));
    }
}
