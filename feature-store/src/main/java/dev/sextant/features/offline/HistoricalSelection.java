package dev.sextant.features.offline;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRef;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import dev.sextant.features.client.online.ResolvedFeature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a historical request reads: the stored features to join point in time (the requested ones and the inputs
 * of requested on-demand views), the on-demand views to compute, the request values the entity rows must carry,
 * and the training set's feature columns in requested order ({@code view__feature}).
 */
record HistoricalSelection(
        Map<FeatureView, List<Feature>> stored,
        Map<OnDemandView, List<Feature>> onDemand,
        List<OnDemandView.RequestField> requestFields,
        Map<String, JoinKey> joinKeys,
        List<String> featureColumns) {

    static String column(String view, String feature) {
        return view + "__" + feature;
    }

    static HistoricalSelection of(FeatureRepository repository, List<String> features) {
        if (features == null || features.isEmpty()) {
            throw new InvalidFeatureRequestException("features must list at least one 'view:feature'");
        }
        Map<FeatureView, List<Feature>> stored = new LinkedHashMap<>();
        Map<OnDemandView, List<Feature>> onDemand = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String text : features) {
            if (!seen.add(text)) {
                throw new InvalidFeatureRequestException("feature '" + text + "' is requested twice");
            }
            OnDemandView view = onDemandView(repository, text);
            if (view == null) {
                ResolvedFeature resolved = ResolvedFeature.resolve(repository, text);
                add(stored, resolved.view(), resolved.feature());
                columns.add(column(resolved.view().name(), resolved.feature().name()));
            } else {
                FeatureRef ref = FeatureRef.parse(text);
                Feature feature = repository
                        .feature(ref)
                        .orElseThrow(() -> new InvalidFeatureRequestException(
                                "on-demand view '" + ref.view() + "' has no feature '" + ref.feature() + "'"));
                onDemand.computeIfAbsent(view, v -> new ArrayList<>()).add(feature);
                columns.add(column(view.name(), feature.name()));
            }
        }
        Map<String, OnDemandView.RequestField> requestFields = new LinkedHashMap<>();
        for (OnDemandView view : onDemand.keySet()) {
            for (FeatureRef input : view.inputs()) {
                add(
                        stored,
                        repository.view(input.view()).orElseThrow(),
                        repository.feature(input).orElseThrow());
            }
            for (OnDemandView.RequestField field : view.request()) {
                OnDemandView.RequestField other = requestFields.putIfAbsent(field.name(), field);
                if (other != null && other.type() != field.type()) {
                    throw new InvalidFeatureRequestException("request value '" + field.name() + "' is " + other.type()
                            + " for one requested on-demand view and " + field.type() + " for " + view.name());
                }
            }
        }
        Map<String, JoinKey> joinKeys = new LinkedHashMap<>();
        stored.keySet().forEach(view -> view.joinKeys().forEach(key -> joinKeys.putIfAbsent(key.name(), key)));
        return new HistoricalSelection(
                stored, onDemand, List.copyOf(requestFields.values()), joinKeys, List.copyOf(columns));
    }

    private static OnDemandView onDemandView(FeatureRepository repository, String text) {
        try {
            return repository.onDemandView(FeatureRef.parse(text).view()).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new InvalidFeatureRequestException(e.getMessage());
        }
    }

    private static void add(Map<FeatureView, List<Feature>> stored, FeatureView view, Feature feature) {
        List<Feature> selected = stored.computeIfAbsent(view, v -> new ArrayList<>());
        if (!selected.contains(feature)) {
            selected.add(feature);
        }
    }
}
