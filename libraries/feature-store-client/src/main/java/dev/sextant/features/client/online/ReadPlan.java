package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated online read: a {@link FeaturePlan} and the typed join key values of the entity rows. Every
 * problem with the request is an {@link InvalidFeatureRequestException} naming it.
 */
record ReadPlan(FeaturePlan features, List<String> joinKeyNames, List<List<Object>> joinKeyColumns, int rows) {

    static ReadPlan of(FeaturePlan features, Map<String, List<Object>> entities, int maxRows) {
        Map<String, JoinKey> needed = features.joinKeys();
        int rows = checkEntities(entities, needed, maxRows);
        List<List<Object>> columns = new ArrayList<>();
        for (JoinKey key : needed.values()) {
            columns.add(typed(key, entities.get(key.name())));
        }
        return new ReadPlan(features, List.copyOf(needed.keySet()), columns, rows);
    }

    /** The join key values of one row, in the order of a view's join keys. */
    List<Object> keyValues(FeatureView view, int row) {
        List<Object> values = new ArrayList<>();
        for (JoinKey key : view.joinKeys()) {
            values.add(joinKeyColumns.get(joinKeyNames.indexOf(key.name())).get(row));
        }
        return values;
    }

    private static int checkEntities(Map<String, List<Object>> entities, Map<String, JoinKey> needed, int maxRows) {
        if (entities == null || entities.isEmpty()) {
            throw new InvalidFeatureRequestException("entities must give the values of join keys " + needed.keySet());
        }
        for (String key : entities.keySet()) {
            if (!needed.containsKey(key)) {
                throw new InvalidFeatureRequestException("join key '" + key
                        + "' is not used by the requested feature views; they need " + needed.keySet());
            }
        }
        int rows = -1;
        for (String key : needed.keySet()) {
            List<Object> column = entities.get(key);
            if (column == null) {
                throw new InvalidFeatureRequestException("entities lack join key '" + key + "'");
            }
            if (rows >= 0 && column.size() != rows) {
                throw new InvalidFeatureRequestException("all join key columns must have the same length; '" + key
                        + "' has " + column.size() + " values, not " + rows);
            }
            rows = column.size();
        }
        if (rows == 0) {
            throw new InvalidFeatureRequestException("entities must have at least one row");
        }
        if (rows > maxRows) {
            throw new InvalidFeatureRequestException("at most " + maxRows + " entity rows per request, got " + rows);
        }
        return rows;
    }

    private static List<Object> typed(JoinKey key, List<Object> column) {
        List<Object> values = new ArrayList<>(column.size());
        for (int row = 0; row < column.size(); row++) {
            Object value = column.get(row);
            if (value == null) {
                throw new InvalidFeatureRequestException("join key '" + key.name() + "' is null in row " + row);
            }
            values.add(key.type() == ValueType.INT64 ? integer(key, value, row) : text(key, value, row));
        }
        return values;
    }

    private static Long integer(JoinKey key, Object value, int row) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof String text && text.matches("-?\\d{1,18}")) {
            return Long.parseLong(text);
        }
        throw new InvalidFeatureRequestException(
                "join key '" + key.name() + "' expects an integer, got '" + value + "' in row " + row);
    }

    private static String text(JoinKey key, Object value, int row) {
        if (value instanceof String text) {
            return text;
        }
        throw new InvalidFeatureRequestException(
                "join key '" + key.name() + "' expects text, got " + value + " in row " + row);
    }
}
