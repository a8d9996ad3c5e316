package dev.sextant.monitoring.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.RegistryHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry's rollouts, as the controller needs them: a model's running or paused rollout, and the actions it
 * takes on one, each on the revision it was decided on (the registry refuses a stale one with 409). Calls go to the
 * registry directly, as the actor {@value #ACTOR}.
 */
@Component
class RegistryRollouts {

    static final String ACTOR = "monitoring";

    /** Models read per page of the registry's listing (its largest page). */
    private static final int PAGE = 500;

    private static final Logger log = LoggerFactory.getLogger(RegistryRollouts.class);

    private final RestClient http;
    private final JsonMapper json;

    RegistryRollouts(RestClient.Builder builder, MonitoringProperties properties, JsonMapper json) {
        this.http = RegistryHttp.client(builder, properties);
        this.json = json;
    }

    /** A running or paused rollout, as much as the controller reads (the registry's rollout resource). */
    record Active(
            long id,
            String model,
            String strategy,
            String state,
            int revision,
            Integer step,
            List<Arm> arms,
            Spec spec,
            Instant createdAt,
            Instant updatedAt,
            List<Change> history) {

        Active {
            arms = arms == null ? List.of() : List.copyOf(arms);
            history = history == null ? List.of() : List.copyOf(history);
        }

        boolean running() {
            return "running".equals(state);
        }

        /** The controller's decisions in the rollout's history, the latest first. */
        List<RolloutStats.Decided> decisions() {
            return history.stream()
                    .filter(change -> ACTOR.equals(change.changedBy()))
                    .map(change -> new RolloutStats.Decided(
                            change.changedAt(),
                            change.revision() - 1,
                            change.action(),
                            change.reason(),
                            "reweigh".equals(change.action())
                                    ? change.arms().stream().map(Arm::weight).toList()
                                    : null))
                    .toList();
        }
    }

    /** One change in a rollout's history: the revision it made, what, why, by whom and when. */
    record Change(int revision, String action, List<Arm> arms, String reason, Instant changedAt, String changedBy) {

        Change {
            arms = arms == null ? List.of() : List.copyOf(arms);
        }
    }

    /** @param role {@code champion} or {@code challenger}; weight in percent */
    record Arm(int version, String role, double weight) {}

    record Spec(List<Step> steps, Guards guards, Test test, Bandit bandit) {

        Spec {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    record Step(Double weight, Long minRequests, Long minLabels, Duration maxDuration) {}

    record Guards(Double maxLatencyRatio, Double maxErrorRate, QualityGuard quality) {}

    record QualityGuard(String metric, Double maxDegradation, Double alpha) {}

    /** An A/B test's pre-registered design, as the registry checked it. */
    record Test(String metric, Double alpha, Double power, Double minimumDetectableEffect, Boolean sequential) {}

    /** A bandit's policy, as the registry checked it. */
    record Bandit(String reward, Double explorationFloor, Duration updateInterval) {}

    /**
     * The body of an action: what, on which revision, why, and the evidence it was decided on; the version a
     * promotion names (null: the only challenger) and a bandit's new weights (null unless it reweighs).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Action(
            String action,
            int revision,
            String reason,
            Integer version,
            List<Double> weights,
            Map<String, Object> evidence) {}

    /** The model's running or paused rollout; empty when it has none or the registry cannot say. */
    Optional<Active> active(String model) {
        try {
            return read(model);
        } catch (RestClientException e) {
            log.warn("cannot read the rollout of {} from the registry: {}", model, e.getMessage());
            return Optional.empty();
        }
    }

    /** The model's running or paused rollout; empty when it has none. */
    private Optional<Active> read(String model) {
        try {
            String body = http.get()
                    .uri("/api/v1/models/{name}/rollouts/active", model)
                    .retrieve()
                    .body(String.class);
            return Optional.ofNullable(body == null ? null : json.readValue(body, Active.class));
        } catch (HttpClientErrorException.NotFound e) {
            return Optional.empty();
        }
    }

    /** A page of the registry's models, as much as the feed reads. */
    record Models(List<Model> models) {}

    record Model(String name) {}

    /**
     * Every model's running or paused rollout (the registry's models, a page at a time, and each one's active
     * rollout); empty when the registry cannot say.
     */
    Optional<List<Active>> active() {
        try {
            List<Active> active = new ArrayList<>();
            for (int offset = 0; ; offset += PAGE) {
                Models page = json.readValue(
                        http.get()
                                .uri("/api/v1/models?limit={limit}&offset={offset}", PAGE, offset)
                                .retrieve()
                                .body(String.class),
                        Models.class);
                for (Model model : page.models()) {
                    read(model.name()).ifPresent(active::add);
                }
                if (page.models().size() < PAGE) {
                    return Optional.of(active);
                }
            }
        } catch (RestClientException | JacksonException e) {
            log.warn("cannot list the running rollouts in the registry: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Takes the action; false when the registry refused it (the rollout changed since: 409) or cannot be reached. */
    boolean act(String model, long rollout, Action action) {
        try {
            http.post()
                    .uri("/api/v1/models/{name}/rollouts/{id}/actions", model, rollout)
                    .header("X-Sextant-Actor", ACTOR)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(json.writeValueAsString(action))
                    .retrieve()
                    .toBodilessEntity();
            return true;
        } catch (HttpClientErrorException.Conflict e) {
            log.info(
                    "{} rollout {}: {} on revision {} refused, it changed since",
                    model,
                    rollout,
                    action.action(),
                    action.revision());
            return false;
        } catch (RestClientException e) {
            log.warn("{} rollout {}: {} not taken: {}", model, rollout, action.action(), e.getMessage());
            return false;
        }
    }
}
