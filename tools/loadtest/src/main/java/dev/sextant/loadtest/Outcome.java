package dev.sextant.loadtest;

import java.util.List;

/**
 * What a scenario gave: the SLO run at its target rate with its verdict, how long its warm-up took to settle, the
 * services' stages and what each process
 * spent per request (with the verdict on the scenario's CPU budgets), the rate and concurrency sweeps, and the
 * saturation search (every step, and the highest rate that met the SLO); for an overload scenario, its overload;
 * for a rollout scenario, what the rollout cost against the same requests without it (its SLO run: the last run
 * with it).
 */
record Outcome(
        Plan.Scenario scenario,
        Load.Result slo,
        String verdict,
        WarmUp.Settled warmUp,
        List<Stages.Measured> stages,
        Costs.Measured costs,
        String cpuVerdict,
        List<Load.Result> rates,
        List<Load.Result> concurrency,
        List<Load.Result> search,
        Double saturation,
        Overloaded overload,
        RolloutRun.Cost rollout) {

    /**
     * An overload scenario's overload (its run and verdict, and the saturation it multiplied, null for the SLO's
     * rate) and its recovery (the SLO's rate, not judged); the SLO run follows.
     */
    record Overloaded(Double saturation, Load.Result run, Load.Result recovery, String verdict) {}

    /**
     * Whether the scenario met its SLO, CPU budgets and, with a rollout, its added p99; a floor (via nginx) is
     * reported, never judged.
     */
    boolean met() {
        return scenario.floor()
                || verdict.equals("met") && !cpuVerdict.startsWith("MISSED") && (rollout == null || !rollout.missed());
    }
}
