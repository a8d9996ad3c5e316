package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.registry.client.rollout.Rollout;
import dev.sextant.registry.client.rollout.RolloutAction;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The rollout controller (ADR 0008): every {@code rollouts.interval}, for each model whose prediction logs carry a
 * rollout, it reads the model's running rollout from the registry and takes the {@link Decision} its evidence
 * gives, as a registry action on the revision it read. Two controllers never act on one rollout at once: the
 * registry refuses the second action on a revision (409), and the next round reads the rollout again. A decision
 * taken is kept with the rollout's evidence, counted ({@code sextant_monitoring_rollout_decisions_total{model,
 * action}}, which the alerting rules watch) and logged; the registry publishes it as a {@code ROLLOUT_CHANGED}
 * event.
 */
@Component
class RolloutDecisions {

    private static final Logger log = LoggerFactory.getLogger(RolloutDecisions.class);

    private final RolloutEvidence evidence;
    private final RegistryRollouts registry;
    private final MonitoringProperties.Rollouts settings;
    private final MeterRegistry meters;
    private final Clock clock;

    RolloutDecisions(
            RolloutEvidence evidence,
            RegistryRollouts registry,
            MonitoringProperties.Rollouts settings,
            MeterRegistry meters,
            Clock clock) {
        this.evidence = evidence;
        this.registry = registry;
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
    }

    @Scheduled(
            fixedDelayString = "${sextant.monitoring.rollouts.interval}",
            initialDelayString = "${sextant.monitoring.rollouts.interval}")
    void decideAll() {
        if (!settings.enabled() || evidence.catchingUp()) {
            // after a restart the evidence is partial until the feed has read the rollouts again: no decision on it
            return;
        }
        for (String model : evidence.models()) {
            registry.active(model).ifPresent(this::decide);
        }
    }

    /** Decides on one rollout, and takes the decision when there is one. */
    synchronized Optional<Decision> decide(Rollout rollout) {
        Optional<RolloutStats.View> seen = evidence.view(rollout.model(), rollout.id());
        if (seen.isEmpty() || !rollout.running()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        evidence.recall(rollout.model(), rollout.id(), registry.decisions(rollout));
        Object analysis = Decision.analyse(rollout, seen.get(), settings);
        evidence.analysed(rollout.model(), rollout.id(), analysis);
        Optional<Decision> decision = Decision.decide(rollout, seen.get(), analysis, now, settings);
        if (decision.isEmpty()) {
            return decision;
        }
        Decision taken = decision.get();
        if (!registry.act(
                rollout.model(),
                rollout.id(),
                new RolloutAction(
                        taken.action(),
                        rollout.revision(),
                        taken.reason(),
                        taken.version(),
                        taken.weights(),
                        taken.evidence()))) {
            return Optional.empty();
        }
        evidence.decided(rollout.model(), rollout.id(), rollout.revision(), taken, now);
        meters.counter("sextant.monitoring.rollout.decisions", "model", rollout.model(), "action", taken.action())
                .increment();
        log.info(
                "{} rollout {} revision {}: {} ({})",
                rollout.model(),
                rollout.id(),
                rollout.revision(),
                taken.action(),
                taken.reason());
        return decision;
    }
}
