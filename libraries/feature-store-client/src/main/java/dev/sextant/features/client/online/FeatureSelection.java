package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRef;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.OnDemandView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A requested list of {@code view:feature} references resolved against the repository, the same way for online
 * reads and historical retrieval: which stored features must be read (the requested ones in request order, then
 * the inputs of requested on-demand views not requested themselves), which on-demand views to compute with
 * their requested features, and the request values those views need. Every problem is an
 * {@link InvalidFeatureRequestException} naming it.
 *
 * @param requested each requested feature, in request order
 * @param stored the stored features to read, requested first
 * @param onDemand the on-demand views to compute, in order of first request, each with its requested features
 * @param requestFields the request values the on-demand views need (a name shared by two views has one type)
 */
public record FeatureSelection(
        List<Requested> requested,
        List<FeatureRef> stored,
        Map<OnDemandView, List<Feature>> onDemand,
        List<OnDemandView.RequestField> requestFields) {

    /** One requested feature: its view's name, the feature, and its on-demand view (null for a stored one). */
    public record Requested(String view, Feature feature, OnDemandView onDemand) {}

    public static FeatureSelection of(FeatureRepository repository, List<String> features) {
        if (features == null || features.isEmpty()) {
            throw new InvalidFeatureRequestException("features must list at least one 'view:feature'");
        }
        List<Requested> requested = new ArrayList<>();
        List<FeatureRef> stored = new ArrayList<>();
        Map<OnDemandView, List<Feature>> onDemand = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String text : features) {
            if (!seen.add(text)) {
                throw new InvalidFeatureRequestException("feature '" + text + "' is requested twice");
            }
            FeatureRef ref;
            try {
                ref = FeatureRef.parse(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidFeatureRequestException(e.getMessage());
            }
            OnDemandView view = repository.onDemandView(ref.view()).orElse(null);
            if (view == null) {
                ResolvedFeature resolved = ResolvedFeature.resolve(repository, text);
                requested.add(new Requested(ref.view(), resolved.feature(), null));
                stored.add(ref);
            } else {
                Feature feature = repository
                        .feature(ref)
                        .orElseThrow(() -> new InvalidFeatureRequestException(
                                "on-demand view '" + ref.view() + "' has no feature '" + ref.feature() + "'"));
                requested.add(new Requested(ref.view(), feature, view));
                onDemand.computeIfAbsent(view, v -> new ArrayList<>()).add(feature);
            }
        }
        Map<String, OnDemandView.RequestField> requestFields = new LinkedHashMap<>();
        for (OnDemandView view : onDemand.keySet()) {
            for (FeatureRef input : view.inputs()) {
                if (!stored.contains(input)) {
                    stored.add(input);
                }
            }
            for (OnDemandView.RequestField field : view.request()) {
                OnDemandView.RequestField other = requestFields.putIfAbsent(field.name(), field);
                if (other != null && other.type() != field.type()) {
                    throw new InvalidFeatureRequestException("request value '" + field.name() + "' is " + other.type()
                            + " for one requested on-demand view and " + field.type() + " for " + view.name());
                }
            }
        }
        return new FeatureSelection(
                List.copyOf(requested), List.copyOf(stored), onDemand, List.copyOf(requestFields.values()));
    }

    /** The stored features to read grouped by view, views in order of first appearance. */
    public Map<FeatureView, List<Feature>> storedByView(FeatureRepository repository) {
        Map<FeatureView, List<Feature>> byView = new LinkedHashMap<>();
        for (FeatureRef ref : stored) {
            byView.computeIfAbsent(repository.view(ref.view()).orElseThrow(), v -> new ArrayList<>())
                    .add(repository.feature(ref).orElseThrow());
        }
        return byView;
    }
}
