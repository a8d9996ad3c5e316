package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entity-independent part of an online read, validated once per feature list and cached by the reader:
 * which views to read, the {@code HMGET} fields of each, where each feature goes in the answer, and the join
 * keys the entities must give.
 */
record FeaturePlan(List<String> featureNames, List<ViewRead> views, Map<String, JoinKey> joinKeys) {

    /** One view to read: its features in answer order, their answer columns, and the HMGET fields. */
    record ViewRead(FeatureView view, List<Feature> features, int[] columnIndexes, String[] fields) {}

    static FeaturePlan of(FeatureRepository repository, List<String> features) {
        if (features == null || features.isEmpty()) {
            throw new InvalidFeatureRequestException("features must list at least one 'view:feature'");
        }
        Map<String, List<Integer>> columns = new LinkedHashMap<>();
        Map<String, List<Feature>> byView = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            String text = features.get(i);
            if (!seen.add(text)) {
                throw new InvalidFeatureRequestException("feature '" + text + "' is requested twice");
            }
            ResolvedFeature resolved = ResolvedFeature.resolve(repository, text);
            FeatureView view = resolved.view();
            Feature feature = resolved.feature();
            byView.computeIfAbsent(view.name(), name -> new ArrayList<>()).add(feature);
            columns.computeIfAbsent(view.name(), name -> new ArrayList<>()).add(i);
        }
        List<ViewRead> views = new ArrayList<>();
        Map<String, JoinKey> joinKeys = new LinkedHashMap<>();
        byView.forEach((name, viewFeatures) -> {
            FeatureView view = repository.view(name).orElseThrow();
            String[] fields = new String[viewFeatures.size() + 1];
            fields[0] = RedisLayout.TIMESTAMP_FIELD;
            for (int f = 0; f < viewFeatures.size(); f++) {
                fields[f + 1] = viewFeatures.get(f).name();
            }
            int[] indexes =
                    columns.get(name).stream().mapToInt(Integer::intValue).toArray();
            views.add(new ViewRead(view, List.copyOf(viewFeatures), indexes, fields));
            view.joinKeys().forEach(key -> joinKeys.putIfAbsent(key.name(), key));
        });
        return new FeaturePlan(List.copyOf(features), List.copyOf(views), joinKeys);
    }
}
