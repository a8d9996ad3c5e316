package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRef;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entity-independent part of an online read, validated once per feature list and cached by the reader:
 * which views to read, the {@code HMGET} fields of each, where each feature goes in the answer, the join keys
 * the entities must give, and the on-demand views to compute.
 *
 * <p>Stored features are read into internal columns: the requested ones first, then the inputs of on-demand
 * views that were not requested. {@code answer[i]} says where requested feature i comes from: internal column
 * {@code answer[i]} when ≥ 0, else output {@code -answer[i] - 1} of the on-demand reads in order.
 */
record FeaturePlan(
        List<String> featureNames,
        List<ViewRead> views,
        Map<String, JoinKey> joinKeys,
        int storedColumns,
        int[] answer,
        List<OnDemandRead> onDemand,
        List<OnDemandView.RequestField> requestFields) {

    /** One view to read: its features in internal column order, their internal columns, and the HMGET fields. */
    record ViewRead(FeatureView view, List<Feature> features, int[] columnIndexes, String[] fields) {}

    /** One on-demand view: the internal columns of its inputs, and its requested outputs in answer order. */
    record OnDemandRead(OnDemandView view, int[] inputColumns, List<Feature> outputs) {}

    static FeaturePlan of(FeatureRepository repository, List<String> features) {
        FeatureSelection selection = FeatureSelection.of(repository, features);
        List<FeatureRef> stored = selection.stored();
        List<OnDemandRead> onDemandReads = new ArrayList<>();
        Map<OnDemandView, Integer> outputBase = new HashMap<>();
        int outputs = 0;
        for (var entry : selection.onDemand().entrySet()) {
            OnDemandView view = entry.getKey();
            int[] inputColumns =
                    view.inputs().stream().mapToInt(stored::indexOf).toArray();
            onDemandReads.add(new OnDemandRead(view, inputColumns, List.copyOf(entry.getValue())));
            outputBase.put(view, outputs);
            outputs += entry.getValue().size();
        }
        int[] answer = new int[features.size()];
        int storedSeen = 0;
        for (int i = 0; i < answer.length; i++) {
            FeatureSelection.Requested requested = selection.requested().get(i);
            if (requested.onDemand() == null) {
                answer[i] = storedSeen++;
            } else {
                int output = selection.onDemand().get(requested.onDemand()).indexOf(requested.feature());
                answer[i] = -(outputBase.get(requested.onDemand()) + output) - 1;
            }
        }
        return new FeaturePlan(
                List.copyOf(features),
                viewReads(repository, stored),
                joinKeys(repository, stored),
                stored.size(),
                answer,
                List.copyOf(onDemandReads),
                selection.requestFields());
    }

    private static List<ViewRead> viewReads(FeatureRepository repository, List<FeatureRef> stored) {
        Map<String, List<Integer>> columns = new LinkedHashMap<>();
        Map<String, List<Feature>> byView = new LinkedHashMap<>();
        for (int c = 0; c < stored.size(); c++) {
            FeatureRef ref = stored.get(c);
            byView.computeIfAbsent(ref.view(), name -> new ArrayList<>())
                    .add(repository.feature(ref).orElseThrow());
            columns.computeIfAbsent(ref.view(), name -> new ArrayList<>()).add(c);
        }
        List<ViewRead> views = new ArrayList<>();
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
        });
        return List.copyOf(views);
    }

    private static Map<String, JoinKey> joinKeys(FeatureRepository repository, List<FeatureRef> stored) {
        Map<String, JoinKey> joinKeys = new LinkedHashMap<>();
        for (FeatureRef ref : stored) {
            repository.view(ref.view()).orElseThrow().joinKeys().forEach(key -> joinKeys.putIfAbsent(key.name(), key));
        }
        return joinKeys;
    }
}
