package dev.sextant.features.client.ondemand;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRef;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an on-demand view's transformation for one row and checks what it answers against the view's
 * definition: the one path through which online reads and historical retrieval compute on-demand features.
 */
public final class OnDemandComputation {

    private OnDemandComputation() {}

    /**
     * @param inputValues the view's inputs, in the order of {@link OnDemandView#inputs()}; null where not PRESENT
     * @param requestValues the view's request values, in the order of {@link OnDemandView#request()}, typed
     * @return the view's features by name, typed as declared (absent = null)
     */
    public static Map<String, Object> compute(OnDemandView view, Object[] inputValues, Object[] requestValues) {
        Map<String, Object> inputs = new HashMap<>();
        List<FeatureRef> refs = view.inputs();
        for (int i = 0; i < refs.size(); i++) {
            inputs.put(refs.get(i).toString(), inputValues[i]);
        }
        Map<String, Object> request = new HashMap<>();
        for (int i = 0; i < view.request().size(); i++) {
            request.put(view.request().get(i).name(), requestValues[i]);
        }
        Map<String, Object> answered = view.transformation().transform(inputs, request);
        Map<String, Object> features = new HashMap<>();
        for (Feature feature : view.features()) {
            Object value = answered == null ? null : answered.get(feature.name());
            if (value != null && !hasType(feature.type(), value)) {
                throw new IllegalStateException("on-demand view " + view.name() + ": "
                        + view.transformation().getClass().getName() + " answered " + feature.name() + " = "
                        + value + " (" + value.getClass().getSimpleName() + "), not " + feature.type());
            }
            features.put(feature.name(), value);
        }
        return features;
    }

    /** A request value converted to its declared type, or a 400 naming the field and row. */
    public static Object requestValue(OnDemandView.RequestField field, Object value, String where) {
        if (value == null) {
            throw new InvalidFeatureRequestException(
                    where + " lacks request value '" + field.name() + "' (" + field.type() + ")");
        }
        Object typed =
                switch (field.type()) {
                    case INT64 ->
                        value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : null;
                    case FLOAT64 ->
                        value instanceof Number number && Double.isFinite(number.doubleValue())
                                ? number.doubleValue()
                                : null;
                    case BOOL -> value instanceof Boolean ? value : null;
                    case STRING -> value instanceof String ? value : null;
                };
        if (typed == null) {
            throw new InvalidFeatureRequestException(
                    where + "." + field.name() + " must be " + field.type() + ", got '" + value + "'");
        }
        return typed;
    }

    private static boolean hasType(ValueType type, Object value) {
        return switch (type) {
            case INT64 -> value instanceof Long;
            case FLOAT64 -> value instanceof Double;
            case BOOL -> value instanceof Boolean;
            case STRING -> value instanceof String;
        };
    }
}
