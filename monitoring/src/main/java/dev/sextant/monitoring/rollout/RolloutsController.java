package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.api.PathArguments;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Rollouts", description = "The live evidence of a model's rollouts, from its prediction logs")
class RolloutsController {

    private final RolloutEvidence evidence;

    RolloutsController(RolloutEvidence evidence) {
        this.evidence = evidence;
    }

    /**
     * @param catchingUp true while monitoring, (re)started, reads the running rollouts' logs and labels again from
     *     their start: the evidence is partial, and the controller waits
     */
    record Rollouts(String model, boolean catchingUp, List<RolloutStats.View> rollouts) {}

    @GetMapping("/api/v1/monitoring/models/{name}/rollouts")
    @Operation(
            summary = "The model's rollouts seen in its prediction logs, the latest first: per version its role,"
                    + " requests, errors, units, latency (median, p99, max) and quality on delayed labels; the"
                    + " shadow's agreement with the answers (score difference, decision flips at the threshold); an"
                    + " A/B test's or a bandit's latest analysis (comparisons with confidence intervals, p-values,"
                    + " required labels and verdicts, the split check; the posterior per arm); and the controller's"
                    + " decisions with their reasons. catching_up is true while monitoring, just started, reads the"
                    + " running rollouts' logs and labels again from their start.")
    Rollouts rollouts(@PathVariable String name) {
        return new Rollouts(PathArguments.model(name), evidence.catchingUp(), evidence.of(name));
    }
}
