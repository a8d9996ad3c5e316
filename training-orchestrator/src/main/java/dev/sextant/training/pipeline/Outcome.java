package dev.sextant.training.pipeline;

import java.util.Map;

/**
 * How a pipeline run ended.
 *
 * @param registeredVersion the version registered, or null when the candidate was rejected
 * @param metrics the candidate's test metrics
 * @param report the evaluation report
 * @param summary one line for the job's step
 */
public record Outcome(
        Integer registeredVersion, Map<String, Double> metrics, Map<String, Object> report, String summary) {

    public boolean registered() {
        return registeredVersion != null;
    }
}
