package dev.sextant.features.client.definition;

import dev.sextant.features.client.ondemand.OnDemandTransformation;
import java.util.List;

/**
 * Features computed at read time, online and in historical retrieval alike, by {@code transformation} from
 * stored features ({@code inputs}) and values the caller gives with the request ({@code request}). Referenced
 * like any feature: {@code view:feature}. Nothing is stored.
 */
public record OnDemandView(
        String name,
        String description,
        List<RequestField> request,
        List<FeatureRef> inputs,
        List<Feature> features,
        OnDemandTransformation transformation) {

    /** A value supplied with each request row, typed. */
    public record RequestField(String name, ValueType type) {}

    public OnDemandView {
        request = List.copyOf(request);
        inputs = List.copyOf(inputs);
        features = List.copyOf(features);
    }
}
