package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One row of a feature view: join key values, the event time, and feature values by name. */
public record FeatureRow(Map<String, Object> keys, Instant eventTime, Map<String, Object> values) {

    /**
     * Checks every row against the view before anything is written anywhere: event time present, join keys
     * present and typed, features known and typed. The first problem is an {@link InvalidFeatureRequestException}
     * naming the row and the field.
     */
    public static void validate(FeatureView view, List<FeatureRow> rows) {
        for (int i = 0; i < rows.size(); i++) {
            validate(view, rows.get(i), i);
        }
    }

    private static void validate(FeatureView view, FeatureRow row, int index) {
        String where = "rows[" + index + "]";
        if (row.eventTime() == null) {
            throw new InvalidFeatureRequestException(where + ".event_timestamp is required");
        }
        for (JoinKey joinKey : view.joinKeys()) {
            Object value = row.keys().get(joinKey.name());
            if (value == null) {
                throw new InvalidFeatureRequestException(where + " lacks join key '" + joinKey.name() + "'");
            }
            if (!fits(joinKey.type(), value)) {
                throw new InvalidFeatureRequestException(
                        where + "." + joinKey.name() + " must be " + joinKey.type() + ", got '" + value + "'");
            }
        }
        int known = 0;
        for (Feature feature : view.features()) {
            known += row.values().containsKey(feature.name()) ? 1 : 0;
        }
        if (known != row.values().size()) {
            String unknown = row.values().keySet().stream()
                    .filter(name -> view.features().stream()
                            .noneMatch(feature -> feature.name().equals(name)))
                    .findFirst()
                    .orElseThrow();
            throw new InvalidFeatureRequestException(
                    where + "." + unknown + ": feature view '" + view.name() + "' has no such feature");
        }
        for (Feature feature : view.features()) {
            Object value = row.values().get(feature.name());
            if (value != null && !fits(feature.type(), value)) {
                throw new InvalidFeatureRequestException(
                        where + "." + feature.name() + " must be " + feature.type() + ", got '" + value + "'");
            }
        }
    }

    private static boolean fits(ValueType type, Object value) {
        return switch (type) {
            case INT64 -> value instanceof Integer || value instanceof Long;
            case FLOAT64 -> value instanceof Number number && Double.isFinite(number.doubleValue());
            case BOOL -> value instanceof Boolean;
            case STRING -> value instanceof String;
        };
    }
}
