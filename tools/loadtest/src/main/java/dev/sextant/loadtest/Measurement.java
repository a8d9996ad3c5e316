package dev.sextant.loadtest;

import java.time.Duration;
import java.util.Map;

/**
 * One measured run: its result, the services' expositions scraped around it (their stage histograms and counters),
 * and what each process spent per request sent.
 */
record Measurement(Load.Result result, Map<String, String> before, Map<String, String> after, Costs.Measured spent) {

    /** Runs the requests open loop at the rate: {@code warmup} unmeasured, then {@code measure} measured. */
    static Measurement take(
            Load load, Load.Calls calls, double rate, Duration warmup, Duration measure, Costs costs, Stages stages) {
        Map<String, String> before;
        Costs.Snapshot cpuBefore;
        Load.Result result;
        if (warmup.isZero()) {
            before = stages.scrape();
            cpuBefore = costs.take();
            result = load.open(calls, rate, Duration.ZERO, measure);
        } else {
            // the warm-up is not measured: scraped and sampled after it
            load.open(calls, rate, Duration.ZERO, warmup);
            before = stages.scrape();
            cpuBefore = costs.take();
            result = load.open(calls, rate, Duration.ZERO, measure);
        }
        Costs.Snapshot cpuAfter = costs.take();
        Map<String, String> after = stages.scrape();
        return new Measurement(result, before, after, Costs.between(cpuBefore, cpuAfter, before, after, result.sent()));
    }

    /** The platform's CPU per request, rounded, or {@code –} when the processes were not measured. */
    String platformMicros() {
        return spent.cpuMicros(Costs.PLATFORM)
                .map(micros -> String.valueOf(Math.round(micros)))
                .orElse("–");
    }
}
