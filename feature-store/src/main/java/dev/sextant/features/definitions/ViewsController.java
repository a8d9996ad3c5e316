package dev.sextant.features.definitions;

import dev.sextant.features.client.definition.Entity;
import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Definitions", description = "Entities and feature views of the feature repository")
class ViewsController {

    private final FeatureRepository repository;

    ViewsController(FeatureRepository repository) {
        this.repository = repository;
    }

    record EntityView(String name, String description, List<JoinKey> joinKeys) {}

    record ViewDescription(
            String name,
            String description,
            List<String> entities,
            List<JoinKey> joinKeys,
            List<Feature> features,
            long ttlSeconds,
            String source) {}

    record Definitions(List<EntityView> entities, List<ViewDescription> featureViews) {}

    @GetMapping("/api/v1/features/views")
    @Operation(summary = "List entities and feature views: join keys, typed features, TTL (0 = none), source")
    Definitions views() {
        return new Definitions(
                repository.entities().stream().map(ViewsController::describe).toList(),
                repository.views().stream().map(ViewsController::describe).toList());
    }

    private static EntityView describe(Entity entity) {
        return new EntityView(entity.name(), entity.description(), entity.joinKeys());
    }

    private static ViewDescription describe(FeatureView view) {
        return new ViewDescription(
                view.name(),
                view.description(),
                view.entities().stream().map(Entity::name).toList(),
                view.joinKeys(),
                view.features(),
                view.ttl().toSeconds(),
                view.source().name().toLowerCase(java.util.Locale.ROOT));
    }
}
