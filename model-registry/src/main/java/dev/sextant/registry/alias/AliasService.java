package dev.sextant.registry.alias;

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
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sets, moves and deletes aliases. Each change locks the model row, so changes to one model's aliases are
 * serialized; the alias, its history entry and its model event are written in one transaction.
 */
@Service
public class AliasService {

    /** The alias a rollout serves against and moves when it promotes. */
    public static final String CHAMPION = "champion";

    private final ModelRepository models;
    private final AliasRepository aliases;
    private final ModelEventOutbox events;
    private final Clock clock;

    AliasService(ModelRepository models, AliasRepository aliases, ModelEventOutbox events, Clock clock) {
        this.models = models;
        this.aliases = aliases;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public AliasView set(String name, String alias, int version, String actor, String reason) {
        ModelRow model = models.findRegistered(name, true).orElseThrow(() -> ModelService.unknownModel(name));
        refuseWhileARolloutHoldsTheChampion(model, alias);
        ModelVersionView target = models.findVersion(model, version)
                .orElseThrow(() -> ApiException.unprocessable("cannot point alias '" + alias + "' at version " + version
                        + ": model '" + name + "' has versions 1 to " + model.latestVersion() + " only"));
        Integer previous = aliases.find(model.id(), alias)
                .map(AliasRepository.AliasRow::version)
                .orElse(null);
        if (previous != null && previous == version) {
            return view(model, alias, previous);
        }
        Instant now = clock.instant();
        aliases.upsert(model.id(), alias, version, now, actor);
        aliases.appendHistory(model.id(), alias, previous, version, now, actor, reason);
        events.append(ModelEvent.aliasSet(name, alias, version, target.sha256(), previous, actor, now));
        return view(model, alias, previous);
    }

    @Transactional
    public void delete(String name, String alias, String actor, String reason) {
        ModelRow model = models.findRegistered(name, true).orElseThrow(() -> ModelService.unknownModel(name));
        refuseWhileARolloutHoldsTheChampion(model, alias);
        AliasRepository.AliasRow current = aliases.find(model.id(), alias).orElseThrow(() -> unknownAlias(name, alias));
        Instant now = clock.instant();
        aliases.delete(model.id(), alias);
        aliases.appendHistory(model.id(), alias, current.version(), null, now, actor, reason);
        events.append(ModelEvent.aliasDeleted(name, alias, current.version(), actor, now));
    }

    @Transactional(readOnly = true)
    public AliasView get(String name, String alias) {
        ModelRow model = models.findRegistered(name, false).orElseThrow(() -> ModelService.unknownModel(name));
        AliasRepository.AliasRow current = aliases.find(model.id(), alias).orElseThrow(() -> unknownAlias(name, alias));
        return view(model, alias, null, current);
    }

    /** The version an alias of this model points to, if it exists; in the caller's transaction. */
    @Transactional(readOnly = true)
    public Optional<Integer> version(ModelRow model, String alias) {
        return aliases.find(model.id(), alias).map(AliasRepository.AliasRow::version);
    }

    @Transactional(readOnly = true)
    public List<AliasChange> history(String name, String alias, int limit, int offset) {
        ModelRow model = models.findRegistered(name, false).orElseThrow(() -> ModelService.unknownModel(name));
        return aliases.history(model.id(), alias, limit, offset);
    }

    /**
     * A running or paused rollout serves against the champion it started with: moving {@code champion} under it
     * would leave it routing to a version that no longer holds the alias. It moves by the rollout's own promotion
     * (after which the rollout has ended), or once the rollout is rolled back or aborted.
     */
    private void refuseWhileARolloutHoldsTheChampion(ModelRow model, String alias) {
        if (!CHAMPION.equals(alias)) {
            return;
        }
        aliases.activeRollout(model.id()).ifPresent(rollout -> {
            throw ApiException.conflict("model '" + model.name() + "' has rollout " + rollout + " running or paused:"
                    + " champion moves by its promotion; roll it back or abort it to move champion by hand");
        });
    }

    private static ApiException unknownAlias(String name, String alias) {
        return ApiException.notFound("model '" + name + "' has no alias '" + alias + "'");
    }

    private AliasView view(ModelRow model, String alias, Integer previous) {
        return view(model, alias, previous, aliases.find(model.id(), alias).orElseThrow());
    }

    private AliasView view(ModelRow model, String alias, Integer previous, AliasRepository.AliasRow current) {
        ModelVersionView version = models.findVersion(model, current.version()).orElseThrow();
        return new AliasView(
                model.name(), alias, current.version(), previous, current.updatedAt(), current.updatedBy(), version);
    }
}
