package dev.sextant.features.client.definition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every entity and feature view defined in a feature repository folder, validated. Immutable. */
public final class FeatureRepository {

    private final Map<String, Entity> entities;
    private final Map<String, FeatureView> views;

    public FeatureRepository(List<Entity> entities, List<FeatureView> views) {
        this.entities = index(entities.stream().map(e -> Map.entry(e.name(), e)).toList());
        this.views = index(views.stream().map(v -> Map.entry(v.name(), v)).toList());
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

    /** The view and feature a reference names; empty when either does not exist. */
    public Optional<Feature> feature(FeatureRef ref) {
        return view(ref.view()).flatMap(view -> view.feature(ref.feature()));
    }

    private static <T> Map<String, T> index(List<Map.Entry<String, T>> entries) {
        Map<String, T> index = new LinkedHashMap<>();
        entries.forEach(entry -> index.put(entry.getKey(), entry.getValue()));
        return index;
    }
}
