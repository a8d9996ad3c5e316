package dev.sextant.features.client.definition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every entity, feature view and on-demand view defined in a feature repository folder, validated. Immutable. */
public final class FeatureRepository {

    private final Map<String, Entity> entities;
    private final Map<String, FeatureView> views;
    private final Map<String, OnDemandView> onDemandViews;
    private final Map<String, Map<String, Feature>> features;

    public FeatureRepository(List<Entity> entities, List<FeatureView> views, List<OnDemandView> onDemandViews) {
        this.entities = index(entities.stream().map(e -> Map.entry(e.name(), e)).toList());
        this.views = index(views.stream().map(v -> Map.entry(v.name(), v)).toList());
        this.onDemandViews =
                index(onDemandViews.stream().map(v -> Map.entry(v.name(), v)).toList());
        this.features = new LinkedHashMap<>();
        views.forEach(view -> this.features.put(view.name(), byName(view.features())));
        onDemandViews.forEach(view -> this.features.put(view.name(), byName(view.features())));
    }

    private static Map<String, Feature> byName(List<Feature> features) {
        return index(features.stream()
                .map(feature -> Map.entry(feature.name(), feature))
                .toList());
    }

    public List<OnDemandView> onDemandViews() {
        return List.copyOf(onDemandViews.values());
    }

    public Optional<OnDemandView> onDemandView(String name) {
        return Optional.ofNullable(onDemandViews.get(name));
    }

    public List<Entity> entities() {
        return List.copyOf(entities.values());
    }

    public List<FeatureView> views() {
        return List.copyOf(views.values());
    }

    public Optional<FeatureView> view(String name) {
        return Optional.ofNullable(views.get(name));
    }

    /**
     * The feature a reference names, of a stored or an on-demand view; empty when the view or the feature does not
     * exist. Constant time.
     */
    public Optional<Feature> feature(FeatureRef ref) {
        Map<String, Feature> byName = features.get(ref.view());
        return byName == null ? Optional.empty() : Optional.ofNullable(byName.get(ref.feature()));
    }

    private static <T> Map<String, T> index(List<Map.Entry<String, T>> entries) {
        Map<String, T> index = new LinkedHashMap<>();
        entries.forEach(entry -> index.put(entry.getKey(), entry.getValue()));
        return index;
    }
}
