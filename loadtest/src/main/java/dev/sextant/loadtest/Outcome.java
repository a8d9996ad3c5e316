package dev.sextant.loadtest;

import java.util.List;

/**
 * What a scenario gave: the SLO run at its target rate with its verdict and the services' stages, the rate and
 * concurrency sweeps, and the saturation search (every step, and the highest rate that met the SLO).
 */
record Outcome(
        Plan.Scenario scenario,
        Load.Result slo,
        String verdict,
        List<Stages.Measured> stages,
        List<Load.Result> rates,
        List<Load.Result> concurrency,
        List<Load.Result> search,
        Double saturation) {

    boolean met() {
        return verdict.equals("met");
    }
}
