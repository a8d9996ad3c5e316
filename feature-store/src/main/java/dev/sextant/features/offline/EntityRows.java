package dev.sextant.features.offline;

import static dev.sextant.features.offline.ParquetOfflineStore.execute;
import static dev.sextant.features.offline.ParquetOfflineStore.quote;
import static dev.sextant.features.offline.ParquetOfflineStore.sqlType;

import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Loads the entity rows of a historical request into the temp table {@code entity_rows}, validated. */
final class EntityRows {

    private EntityRows() {}

    static void load(
            Connection duck,
            HistoricalRequest request,
            Map<String, JoinKey> joinKeys,
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
            execute(
                    duck,
                    "CREATE TEMP TABLE entity_rows AS SELECT " + String.join(", ", keys)
                            + ", CAST(event_timestamp AS TIMESTAMP) AS event_timestamp, row_number() OVER () AS __row"
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
        execute(
                duck,
                "CREATE TEMP TABLE entity_rows (" + String.join(", ", columns)
                        + ", event_timestamp TIMESTAMP, __row BIGINT)");
        String placeholders = String.join(", ", Collections.nCopies(joinKeys.size(), "?"));
        try (PreparedStatement insert =
                duck.prepareStatement("INSERT INTO entity_rows VALUES (" + placeholders + ", epoch_ms(?), ?)")) {
            for (int r = 0; r < rows.size(); r++) {
                Map<String, Object> row = rows.get(r);
                int i = 1;
                for (JoinKey key : joinKeys.values()) {
                    insert.setObject(i++, joinKey(key, row.get(key.name()), r));
                }
                insert.setLong(i++, eventTime(row.get("event_timestamp"), r));
                insert.setLong(i, r);
                insert.addBatch();
            }
            insert.executeBatch();
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
