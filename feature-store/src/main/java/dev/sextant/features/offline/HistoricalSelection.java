package dev.sextant.features.offline;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.online.FeatureSelection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a historical request reads, from the same {@link FeatureSelection} as online reads: the stored features to
 * join point in time by view (the requested ones and the inputs of requested on-demand views), the on-demand
 * views to compute, the request values the entity rows must carry, the join keys, and the training set's feature
 * columns in requested order ({@code view__feature}).
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
        FeatureSelection selection = FeatureSelection.of(repository, features);
        Map<FeatureView, List<Feature>> stored = selection.storedByView(repository);
        Map<String, JoinKey> joinKeys = new LinkedHashMap<>();
        stored.keySet().forEach(view -> view.joinKeys().forEach(key -> joinKeys.putIfAbsent(key.name(), key)));
        return new HistoricalSelection(
                stored,
                selection.onDemand(),
                selection.requestFields(),
                joinKeys,
                selection.requested().stream()
                        .map(requested ->
                                column(requested.view(), requested.feature().name()))
                        .toList());
    }
}
