package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One row of a feature view: its join key values and feature values in the view's definition order, and its
 * event time. Positional, not keyed by name: rows are built once and read by position by every writer (online
 * and offline), which is what the streaming path does millions of times a minute. A row from a caller is made
 * by {@link #checked}, which validates it against the view; a row computed from the view's definition by
 * {@link #of}.
 */
public final class FeatureRow {

    private final FeatureView view;
    private final List<Object> keyValues;
    private final long eventMs;
    private final Object[] values;

    private FeatureRow(FeatureView view, List<Object> keyValues, long eventMs, Object[] values) {
        this.view = view;
        this.keyValues = keyValues;
        this.eventMs = eventMs;
        this.values = values;
    }

    /**
     * A row computed from the view's definition (a stream aggregate, a row read back from the offline store):
     * {@code keyValues} and {@code values} in the view's order, already of the features' Java types (Long,
     * Double, Boolean, String or null), not checked again. The arrays are kept, not copied.
     */
    public static FeatureRow of(FeatureView view, List<Object> keyValues, long eventMs, Object[] values) {
        if (keyValues.size() != view.joinKeys().size()
                || values.length != view.features().size()) {
            throw new IllegalArgumentException(
                    "a row of view " + view.name() + " has " + view.joinKeys().size() + " join keys and "
                            + view.features().size() + " features");
        }
        return new FeatureRow(view, keyValues, eventMs, values);
    }

    /**
     * A row from a caller, by name, checked against the view before anything is written anywhere: event time
     * present, join keys present and typed, features known and typed (absent ones are null). The first problem
     * is an {@link InvalidFeatureRequestException} naming the row ({@code rows[index]}) and the field.
     */
    public static FeatureRow checked(
            FeatureView view, int index, Map<String, Object> keys, Instant eventTime, Map<String, Object> values) {
        String where = "rows[" + index + "]";
        if (eventTime == null) {
            throw new InvalidFeatureRequestException(where + ".event_timestamp is required");
        }
        Object[] keyValues = new Object[view.joinKeys().size()];
        for (int k = 0; k < keyValues.length; k++) {
            JoinKey joinKey = view.joinKeys().get(k);
            Object value = keys.get(joinKey.name());
            if (value == null) {
                throw new InvalidFeatureRequestException(where + " lacks join key '" + joinKey.name() + "'");
            }
            if (!fits(joinKey.type(), value)) {
                throw new InvalidFeatureRequestException(
                        where + "." + joinKey.name() + " must be " + joinKey.type() + ", got '" + value + "'");
            }
            keyValues[k] = typed(joinKey.type(), value);
        }
        List<Feature> features = view.features();
        for (String name : values.keySet()) {
            if (features.stream().noneMatch(feature -> feature.name().equals(name))) {
                throw new InvalidFeatureRequestException(
                        where + "." + name + ": feature view '" + view.name() + "' has no such feature");
            }
        }
        Object[] typedValues = new Object[features.size()];
        for (int f = 0; f < typedValues.length; f++) {
            Feature feature = features.get(f);
            Object value = values.get(feature.name());
            if (value != null && !fits(feature.type(), value)) {
                throw new InvalidFeatureRequestException(
                        where + "." + feature.name() + " must be " + feature.type() + ", got '" + value + "'");
            }
            typedValues[f] = value == null ? null : typed(feature.type(), value);
        }
        return new FeatureRow(view, Arrays.asList(keyValues), eventTime.toEpochMilli(), typedValues);
    }

    private static boolean fits(ValueType type, Object value) {
        return switch (type) {
            case INT64 -> value instanceof Integer || value instanceof Long;
            case FLOAT64 -> value instanceof Number number && Double.isFinite(number.doubleValue());
            case BOOL -> value instanceof Boolean;
            case STRING -> value instanceof String;
        };
    }

    private static Object typed(ValueType type, Object value) {
        return switch (type) {
            case INT64 -> ((Number) value).longValue();
            case FLOAT64 -> ((Number) value).doubleValue();
            case BOOL, STRING -> value;
        };
    }

    public FeatureView view() {
        return view;
    }

    /** The join key values in the order of the view's join keys. */
    public List<Object> keyValues() {
        return keyValues;
    }

    public long eventMs() {
        return eventMs;
    }

    public Instant eventTime() {
        return Instant.ofEpochMilli(eventMs);
    }

    /** The value of the view's {@code index}-th feature: Long, Double, Boolean, String or null. */
    public Object value(int index) {
        return values[index];
    }

    @Override
    public String toString() {
        return view.name() + keyValues + "@" + eventTime() + Arrays.toString(values);
    }
}
