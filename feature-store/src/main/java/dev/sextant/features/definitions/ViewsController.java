package dev.sextant.features.definitions;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sextant.features.client.definition.Aggregation;
import dev.sextant.features.client.definition.Entity;
import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.definition.StreamSource;
import dev.sextant.features.client.definition.ValueType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Definitions", description = "Entities, feature views and on-demand views of the feature repository")
class ViewsController {

    private final FeatureRepository repository;

    ViewsController(FeatureRepository repository) {
        this.repository = repository;
    }

    record EntityView(String name, String description, List<JoinKey> joinKeys) {}

    /** How a stream view's feature is computed: function, event field (none for count), window in seconds. */
    record AggregationDescription(
            String function, @JsonInclude(JsonInclude.Include.NON_NULL) String field, long windowSeconds) {}

    record FeatureDescription(
            String name,
            ValueType type,
            @JsonInclude(JsonInclude.Include.NON_NULL) AggregationDescription aggregation) {}

    record ViewDescription(
            String name,
            String description,
            List<String> entities,
            List<JoinKey> joinKeys,
            List<FeatureDescription> features,
            long ttlSeconds,
            String source,
            @JsonInclude(JsonInclude.Include.NON_NULL) StreamSource stream) {}

    /** An on-demand view: request values, input features, the transformation class, computed features. */
    record OnDemandDescription(
            String name,
            String description,
            List<OnDemandView.RequestField> request,
            List<String> inputs,
            String transformation,
            List<FeatureDescription> features) {}

    record Definitions(
            List<EntityView> entities, List<ViewDescription> featureViews, List<OnDemandDescription> onDemandViews) {}

    @GetMapping("/api/v1/features/views")
    @Operation(
            summary = "List entities and feature views: join keys, typed features (with their aggregation for stream"
                    + " views), TTL (0 = none), source and, for stream views, the topic; on-demand views with their"
                    + " request values, inputs and transformation")
    Definitions views() {
        return new Definitions(
                repository.entities().stream().map(ViewsController::describe).toList(),
                repository.views().stream().map(ViewsController::describe).toList(),
                repository.onDemandViews().stream()
                        .map(view -> new OnDemandDescription(
                                view.name(),
                                view.description(),
                                view.request(),
                                view.inputs().stream().map(Object::toString).toList(),
                                view.transformation().getClass().getName(),
                                view.features().stream()
                                        .map(ViewsController::describe)
                                        .toList()))
                        .toList());
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
                view.features().stream().map(ViewsController::describe).toList(),
                view.ttl().toSeconds(),
                view.source().name().toLowerCase(Locale.ROOT),
                view.stream());
    }

    private static FeatureDescription describe(Feature feature) {
        Aggregation aggregation = feature.aggregation();
        return new FeatureDescription(
                feature.name(),
                feature.type(),
                aggregation == null
                        ? null
                        : new AggregationDescription(
                                aggregation.function().name().toLowerCase(Locale.ROOT),
                                aggregation.field(),
                                aggregation.window().toSeconds()));
    }
}
