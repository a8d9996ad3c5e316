package dev.sextant.prediction.features;

import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.ondemand.OnDemandComputation;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a domain request's rows give the assembly: the join key columns the version's features are keyed by, the
 * request values its on-demand views compute from, and the columns the caller supplies; a mistake in a row is an
 * {@link InvalidFeatureRequestException} naming the field ({@code rows[3].entities lacks join key 'card_id' ...}).
 */
final class RequestRows {

    private RequestRows() {}

    /** How a message names row {@code row}: nothing for a single row, {@code rows[3].} in a batch. */
    static String prefix(String where, int row) {
        return where.isEmpty() ? "" : where + "[" + row + "].";
    }

    /** The needed join key columns; keys of other entities are ignored, names that are no join key refused. */
    static Map<String, List<Object>> entityKeys(
            BoundFeatures features, List<FeatureAssembler.Row> rows, String where, Set<String> joinKeyNames) {
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        features.joinKeys().keySet().forEach(key -> columns.put(key, new ArrayList<>(rows.size())));
        for (int row = 0; row < rows.size(); row++) {
            Map<String, Object> entities =
                    rows.get(row).entities() == null ? Map.of() : rows.get(row).entities();
            String prefix = prefix(where, row);
            for (String key : entities.keySet()) {
                if (!joinKeyNames.contains(key)) {
                    throw new InvalidFeatureRequestException(prefix + "entities." + key
                            + " is not a join key of any entity; join keys are " + joinKeyNames);
                }
            }
            for (JoinKey key : features.joinKeys().values()) {
                Object value = entities.get(key.name());
                if (value == null) {
                    throw new InvalidFeatureRequestException(prefix + "entities lacks join key '" + key.name() + "' ("
                            + key.type() + "), which the features of " + features.model() + " are keyed by");
                }
                columns.get(key.name()).add(value);
            }
        }
        return columns;
    }

    /** The request values the bound on-demand views compute from, typed, one per row. */
    static Map<String, List<Object>> onDemandRequestValues(
            BoundFeatures features, List<FeatureAssembler.Row> rows, String where) {
        if (features.requestFields().isEmpty()) {
            return null;
        }
        Map<String, List<Object>> columns = new HashMap<>();
        for (OnDemandView.RequestField field : features.requestFields()) {
            List<Object> column = new ArrayList<>(rows.size());
            for (int row = 0; row < rows.size(); row++) {
                Map<String, Object> request = rows.get(row).request();
                Object value = request == null ? null : request.get(field.name());
                column.add(OnDemandComputation.requestValue(field, value, prefix(where, row) + "request"));
            }
            columns.put(field.name(), column);
        }
        return columns;
    }

    /** A column the caller supplies, as the row gives it or its default; refused naming the field. */
    static Object requestColumn(
            BoundFeatures.Column column,
            Map<String, Object> request,
            String prefix,
            List<List<String>> defaulted,
            int row) {
        String field = prefix + "request." + column.requestName();
        Object given = request == null ? null : request.get(column.requestName());
        if (given == null) {
            if (column.defaultValue() == null) {
                throw new InvalidFeatureRequestException(
                        field + " is missing; the model takes it as input and its binding has no default");
            }
            defaulted.get(row).add(column.ref());
            return column.defaultValue();
        }
        try {
            Object value = FeatureValues.fromJson(given);
            FeatureValues.check(value, column.datatype());
            return value;
        } catch (IllegalArgumentException e) {
            throw new InvalidFeatureRequestException(field + ": " + e.getMessage());
        }
    }
}
