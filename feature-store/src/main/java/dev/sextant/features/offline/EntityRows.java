package dev.sextant.features.offline;

import static dev.sextant.features.offline.ParquetOfflineStore.execute;
import static dev.sextant.features.offline.ParquetOfflineStore.quote;
import static dev.sextant.features.offline.ParquetOfflineStore.sqlType;

import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.ondemand.OnDemandComputation;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Loads the entity rows of a historical request into the temp table {@code entity_rows}, validated. */
final class EntityRows {

    private EntityRows() {}

    static void load(
            Connection duck,
            HistoricalRequest request,
            Map<String, JoinKey> joinKeys,
            List<OnDemandView.RequestField> requestFields,
            int maxInlineRows,
            Path allowedRoot)
            throws SQLException {
        boolean inline = request.entityRows() != null;
        if (inline == (request.entityParquet() != null)) {
            throw new InvalidFeatureRequestException("give the entity rows either inline (entity_rows) or as a"
                    + " Parquet file (entity_parquet), not both and not neither");
        }
        List<String> keys =
                joinKeys.keySet().stream().map(ParquetOfflineStore::quote).toList();
        if (!inline) {
            Path file = request.entityParquet().toAbsolutePath().normalize();
            if (!file.startsWith(allowedRoot) || !Files.isRegularFile(file)) {
                throw new InvalidFeatureRequestException(
                        "entity_parquet must be an existing file under " + allowedRoot + ", got " + file);
            }
            requireColumns(duck, file, joinKeys, requestFields);
            List<String> requestColumns = requestFields.stream()
                    .map(field -> "CAST(" + quote(field.name()) + " AS " + sqlType(field.type()) + ") AS "
                            + quote(field.name()))
                    .toList();
            execute(
                    duck,
                    "CREATE TEMP TABLE entity_rows AS SELECT " + String.join(", ", keys)
                            + ", CAST(event_timestamp AS TIMESTAMP) AS event_timestamp"
                            + requestColumns.stream()
                                    .map(column -> ", " + column)
                                    .collect(Collectors.joining())
                            + ", row_number() OVER () AS __row"
                            + " FROM read_parquet(" + ParquetOfflineStore.literal(file) + ")");
            return;
        }
        List<Map<String, Object>> rows = request.entityRows();
        if (rows.isEmpty() || rows.size() > maxInlineRows) {
            throw new InvalidFeatureRequestException("entity_rows must hold 1 to " + maxInlineRows
                    + " rows (more: an entity_parquet file), got " + rows.size());
        }
        List<String> columns = new ArrayList<>();
        joinKeys.values().forEach(key -> columns.add(quote(key.name()) + " " + sqlType(key.type())));
        columns.add("event_timestamp TIMESTAMP");
        requestFields.forEach(field -> columns.add(quote(field.name()) + " " + sqlType(field.type())));
        execute(duck, "CREATE TEMP TABLE entity_rows (" + String.join(", ", columns) + ", __row BIGINT)");
        String keyPlaceholders = String.join(", ", Collections.nCopies(joinKeys.size(), "?"));
        String requestPlaceholders = requestFields.stream().map(field -> ", ?").collect(Collectors.joining());
        try (PreparedStatement insert = duck.prepareStatement("INSERT INTO entity_rows VALUES (" + keyPlaceholders
                + ", epoch_ms(?)" + requestPlaceholders + ", ?)")) {
            for (int r = 0; r < rows.size(); r++) {
                Map<String, Object> row = rows.get(r);
                int i = 1;
                for (JoinKey key : joinKeys.values()) {
                    insert.setObject(i++, joinKey(key, row.get(key.name()), r));
                }
                insert.setLong(i++, eventTime(row.get("event_timestamp"), r));
                for (OnDemandView.RequestField field : requestFields) {
                    insert.setObject(
                            i++,
                            OnDemandComputation.requestValue(field, row.get(field.name()), "entity_rows[" + r + "]"));
                }
                insert.setLong(i, r);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** A 400 naming the first column the entity Parquet file lacks. */
    private static void requireColumns(
            Connection duck, Path file, Map<String, JoinKey> joinKeys, List<OnDemandView.RequestField> requestFields)
            throws SQLException {
        Set<String> present = new HashSet<>();
        try (Statement statement = duck.createStatement();
                ResultSet columns = statement.executeQuery(
                        "DESCRIBE SELECT * FROM read_parquet(" + ParquetOfflineStore.literal(file) + ")")) {
            while (columns.next()) {
                present.add(columns.getString(1));
            }
        }
        List<String> needed = new ArrayList<>(joinKeys.keySet());
        needed.add("event_timestamp");
        requestFields.forEach(field -> needed.add(field.name()));
        for (String column : needed) {
            if (!present.contains(column)) {
                throw new InvalidFeatureRequestException(
                        "entity_parquet lacks column '" + column + "'; it needs " + needed + ", has " + present);
            }
        }
    }

    private static Object joinKey(JoinKey key, Object value, int row) {
        boolean fits = key.type() == ValueType.INT64
                ? value instanceof Integer || value instanceof Long
                : value instanceof String;
        if (!fits) {
            throw new InvalidFeatureRequestException("entity_rows[" + row + "]." + key.name() + " must be " + key.type()
                    + (value == null ? " and is missing" : ", got '" + value + "'"));
        }
        return value;
    }

    private static long eventTime(Object value, int row) {
        try {
            return OffsetDateTime.parse(String.valueOf(value)).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidFeatureRequestException("entity_rows[" + row + "].event_timestamp must be an ISO-8601"
                    + " timestamp with offset, like 2026-11-22T12:00:00Z; got '" + value + "'");
        }
    }
}
