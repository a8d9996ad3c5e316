package dev.sextant.registry.rollout;

import dev.sextant.registry.alias.AliasService;
import dev.sextant.registry.api.ApiException;
import dev.sextant.registry.events.ModelEvent;
import dev.sextant.registry.events.ModelEventOutbox;
import dev.sextant.registry.model.ModelRepository;
import dev.sextant.registry.model.ModelRepository.ModelRow;
import dev.sextant.registry.model.ModelService;
import dev.sextant.registry.model.ModelVersionView;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts rollouts and applies actions to them. Each change locks the model row, as alias changes do, so one model
 * has at most one running or paused rollout and its changes are serialized; the rollout, its history entry, its
 * {@code ROLLOUT_*} event and (on promotion) the {@code champion} alias with its own event are written in one
 * transaction.
 */
@Service
class RolloutService {

    private final ModelRepository models;
    private final RolloutRepository rollouts;
    private final AliasService aliases;
    private final ModelEventOutbox events;
    private final JsonMapper json;
    private final Clock clock;

    RolloutService(
            ModelRepository models,
            RolloutRepository rollouts,
            AliasService aliases,
            ModelEventOutbox events,
            JsonMapper json,
            Clock clock) {
        this.models = models;
        this.rollouts = rollouts;
        this.aliases = aliases;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public Rollout start(String name, RolloutSpec spec, String actor) {
        ModelRow model = models.findRegistered(name, true).orElseThrow(() -> ModelService.unknownModel(name));
        rollouts.active(model.id()).ifPresent(running -> {
            throw ApiException.conflict("model '" + name + "' already has rollout " + running.id() + " "
                    + running.state().json() + ": promote, roll back or abort it first");
        });
        ModelVersionView champion = models.findVersion(
                        model,
                        aliases.version(model, AliasService.CHAMPION)
                                .orElseThrow(() -> ApiException.unprocessable("model '" + name
                                        + "' has no champion to roll out against: set alias champion first")))
                .orElseThrow();
        RolloutPlans.Plan plan = RolloutPlans.check(spec, champion, version -> models.findVersion(model, version));
        Instant now = clock.instant();
        String salt = name + "/" + UUID.randomUUID();
        long id = rollouts.insert(model.id(), plan, spec.key(), salt, now, actor);
        Rollout started = rollouts.find(model.id(), id).orElseThrow();
        rollouts.appendHistory(started, "start", spec.reason(), null);
        events.append(ModelEvent.rollout(
                ModelEvent.Type.ROLLOUT_STARTED,
                name,
                json.valueToTree(started.announced()),
                spec.reason(),
                actor,
                now));
        return withHistory(started);
    }

    @Transactional
    public Rollout act(String name, long id, RolloutActions.Action action, String actor) {
        ModelRow model = models.findRegistered(name, true).orElseThrow(() -> ModelService.unknownModel(name));
        Rollout current = rollouts.find(model.id(), id).orElseThrow(() -> unknownRollout(name, id));
        RolloutActions.Transition next = RolloutActions.apply(current, action);
        Instant now = clock.instant();
        if (!rollouts.update(id, current.revision(), next, now, actor)) {
            throw ApiException.conflict("rollout " + id + " changed while the action was applied: read it again");
        }
        Rollout changed = rollouts.find(model.id(), id).orElseThrow();
        rollouts.appendHistory(changed, action.action(), action.reason(), action.evidence());
        ModelEvent.Type type =
                changed.state().active() ? ModelEvent.Type.ROLLOUT_CHANGED : ModelEvent.Type.ROLLOUT_ENDED;
        events.append(
                ModelEvent.rollout(type, name, json.valueToTree(changed.announced()), action.reason(), actor, now));
        if (next.promoted() != null) {
            aliases.set(
                    name,
                    AliasService.CHAMPION,
                    next.promoted(),
                    actor,
                    "promoted by rollout " + id + (action.reason() == null ? "" : ": " + action.reason()));
        }
        return withHistory(changed);
    }

    @Transactional(readOnly = true)
    public Rollout get(String name, long id) {
        ModelRow model = models.findRegistered(name, false).orElseThrow(() -> ModelService.unknownModel(name));
        return withHistory(rollouts.find(model.id(), id).orElseThrow(() -> unknownRollout(name, id)));
    }

    /** The running or paused rollout of a model. */
    @Transactional(readOnly = true)
    public Rollout active(String name) {
        ModelRow model = models.findRegistered(name, false).orElseThrow(() -> ModelService.unknownModel(name));
        return withHistory(rollouts.active(model.id())
                .orElseThrow(() -> ApiException.notFound("model '" + name + "' has no running or paused rollout")));
    }

    @Transactional(readOnly = true)
    public List<Rollout> list(String name, int limit, int offset) {
        ModelRow model = models.findRegistered(name, false).orElseThrow(() -> ModelService.unknownModel(name));
        return rollouts.list(model.id(), limit, offset);
    }

    private Rollout withHistory(Rollout rollout) {
        return rollout.withHistory(rollouts.history(rollout.id()));
    }

    private static ApiException unknownRollout(String name, long id) {
        return ApiException.notFound("model '" + name + "' has no rollout " + id);
    }
}
