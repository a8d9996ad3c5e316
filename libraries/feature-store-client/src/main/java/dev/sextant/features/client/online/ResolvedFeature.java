package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRef;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;

/** A {@code view:feature} reference resolved against the repository, for online and offline reads alike. */
public record ResolvedFeature(FeatureView view, Feature feature) {

    /** Resolves a reference, or fails with an {@link InvalidFeatureRequestException} saying what is wrong. */
    public static ResolvedFeature resolve(FeatureRepository repository, String reference) {
        FeatureRef ref;
        try {
            ref = FeatureRef.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new InvalidFeatureRequestException(e.getMessage());
        }
        FeatureView view = repository
                .view(ref.view())
                .orElseThrow(() -> new InvalidFeatureRequestException("unknown feature view '" + ref.view() + "'"));
        Feature feature = repository
                .feature(ref)
                .orElseThrow(() -> new InvalidFeatureRequestException(
                        "feature view '" + view.name() + "' has no feature '" + ref.feature() + "'"));
        return new ResolvedFeature(view, feature);
    }
}
