package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRef;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        if (features == null || features.isEmpty()) {
            throw new InvalidFeatureRequestException("features must list at least one 'view:feature'");
        }
        List<FeatureRef> stored = new ArrayList<>();
        Map<String, List<Feature>> onDemandOutputs = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        int[] answer = new int[features.size()];
        List<Object[]> onDemandSlots = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            String text = features.get(i);
            if (!seen.add(text)) {
                throw new InvalidFeatureRequestException("feature '" + text + "' is requested twice");
            }
            FeatureRef ref = parse(text);
            OnDemandView onDemand = repository.onDemandView(ref.view()).orElse(null);
            if (onDemand == null) {
                ResolvedFeature.resolve(repository, text);
                answer[i] = stored.size();
                stored.add(ref);
            } else {
                Feature output = repository
                        .feature(ref)
                        .orElseThrow(() -> new InvalidFeatureRequestException(
                                "on-demand view '" + ref.view() + "' has no feature '" + ref.feature() + "'"));
                onDemandOutputs
                        .computeIfAbsent(ref.view(), name -> new ArrayList<>())
                        .add(output);
                onDemandSlots.add(new Object[] {i, ref.view()});
            }
        }
        List<OnDemandRead> onDemandReads = new ArrayList<>();
        Map<String, Integer> outputBase = new LinkedHashMap<>();
        int outputs = 0;
        for (var entry : onDemandOutputs.entrySet()) {
            OnDemandView view = repository.onDemandView(entry.getKey()).orElseThrow();
            int[] inputColumns = new int[view.inputs().size()];
            for (int k = 0; k < inputColumns.length; k++) {
                FeatureRef input = view.inputs().get(k);
                int column = stored.indexOf(input);
                if (column < 0) {
                    column = stored.size();
                    stored.add(input);
                }
                inputColumns[k] = column;
            }
            onDemandReads.add(new OnDemandRead(view, inputColumns, List.copyOf(entry.getValue())));
            outputBase.put(view.name(), outputs);
            outputs += entry.getValue().size();
        }
        Map<String, Integer> usedPerView = new LinkedHashMap<>();
        for (Object[] slot : onDemandSlots) {
            int i = (Integer) slot[0];
            String view = (String) slot[1];
            int used = usedPerView.merge(view, 1, Integer::sum) - 1;
            answer[i] = -(outputBase.get(view) + used) - 1;
        }
        return new FeaturePlan(
                List.copyOf(features),
                viewReads(repository, stored),
                joinKeys(repository, stored),
                stored.size(),
                answer,
                List.copyOf(onDemandReads),
                requestFields(onDemandReads));
    }

    /** The request values the on-demand views need (a name shared by two views must have one type). */
    private static List<OnDemandView.RequestField> requestFields(List<OnDemandRead> onDemand) {
        Map<String, OnDemandView.RequestField> fields = new LinkedHashMap<>();
        for (OnDemandRead read : onDemand) {
            for (OnDemandView.RequestField field : read.view().request()) {
                OnDemandView.RequestField other = fields.putIfAbsent(field.name(), field);
                if (other != null && other.type() != field.type()) {
                    throw new InvalidFeatureRequestException("request value '" + field.name()
                            + "' is " + other.type() + " for one requested on-demand view and " + field.type()
                            + " for " + read.view().name());
                }
            }
        }
        return List.copyOf(fields.values());
    }

    private static FeatureRef parse(String text) {
        try {
            return FeatureRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidFeatureRequestException(e.getMessage());
        }
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
