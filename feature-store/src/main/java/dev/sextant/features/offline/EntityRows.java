package dev.sextant.features.offline;

import static dev.sextant.features.offline.ParquetOfflineStore.execute;
import static dev.sextant.features.offline.ParquetOfflineStore.quote;
import static dev.sextant.features.offline.ParquetOfflineStore.sqlType;

import dev.sextant.features.EventTimes;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.ondemand.OnDemandComputation;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
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
            Path allowedRoot,
            EventTimes times)
            throws SQLException {
        boolean inline = request.entityRows() != null;
        if (inline == (request.entityParquet() != null)) {
            throw new InvalidFeatureRequestException("give the entity rows either inline (entity_rows) or as a"
                    + " Parquet file (entity_parquet), not both and not neither");
        }
        if (!inline) {
            loadParquet(duck, request, joinKeys, requestFields, allowedRoot, times);
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
                insert.setLong(
                        i++,
                        times.parse(row.get("event_timestamp"), "entity_rows[" + r + "].event_timestamp")
                                .toEpochMilli());
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

    /**
     * The entity rows of a Parquet file on the server (an upload, or a file under the data directory), each column
     * cast to its type and every event time checked. Errors name the file as the client does ({@link
     * HistoricalRequest#entitiesName()}), never by its place on the server.
     */
    private static void loadParquet(
            Connection duck,
            HistoricalRequest request,
            Map<String, JoinKey> joinKeys,
            List<OnDemandView.RequestField> requestFields,
            Path allowedRoot,
            EventTimes times)
            throws SQLException {
        String name = request.entitiesName();
        Path file = request.entityParquet().toAbsolutePath().normalize();
        if (!file.startsWith(allowedRoot) || !Files.isRegularFile(file)) {
            throw new InvalidFeatureRequestException(name + " must name an existing file in the feature store's data"
                    + " directory, got '" + request.entityParquet() + "'");
        }
        requireParquet(file, name);
        requireColumns(duck, file, name, joinKeys, requestFields);
        List<String> columns = new ArrayList<>();
        joinKeys.values().forEach(key -> columns.add(cast(key.name(), sqlType(key.type()))));
        columns.add(cast("event_timestamp", "TIMESTAMP"));
        requestFields.forEach(field -> columns.add(cast(field.name(), sqlType(field.type()))));
        try {
            execute(
                    duck,
                    "CREATE TEMP TABLE entity_rows AS SELECT " + String.join(", ", columns)
                            + ", row_number() OVER () - 1 AS __row FROM read_parquet("
                            + ParquetOfflineStore.literal(file)
                            + ")");
        } catch (SQLException e) {
            throw new InvalidFeatureRequestException(name + " has a column of the wrong type (join keys "
                    + joinKeys.values().stream()
                            .map(key -> key.name() + " " + key.type())
                            .toList()
                    + ", event_timestamp TIMESTAMP): "
                    + firstLine(e.getMessage()).replace(file.toString(), name));
        }
        requireTimes(duck, name, times);
    }

    private static String cast(String column, String type) {
        return "CAST(" + quote(column) + " AS " + type + ") AS " + quote(column);
    }

    /** A 400 unless the file begins and ends with Parquet's magic number, before DuckDB is asked to read it. */
    private static void requireParquet(Path file, String name) {
        byte[] magic = "PAR1".getBytes(StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer head = ByteBuffer.allocate(4);
            ByteBuffer tail = ByteBuffer.allocate(4);
            if (size >= 12) {
                channel.read(head, 0);
                channel.read(tail, size - 4);
            }
            if (!Arrays.equals(head.array(), magic) || !Arrays.equals(tail.array(), magic)) {
                throw new InvalidFeatureRequestException(
                        name + " is not a Parquet file (it must begin and end with PAR1), " + size + " bytes");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the entity rows", e);
        }
    }

    /** A 400 naming the first row whose event time is outside the years 0001-9999 or too far ahead. */
    private static void requireTimes(Connection duck, String name, EventTimes times) throws SQLException {
        try (PreparedStatement bad = duck.prepareStatement("SELECT __row, CAST(event_timestamp AS VARCHAR) FROM"
                + " entity_rows WHERE event_timestamp IS NULL OR NOT isfinite(event_timestamp)"
                + " OR event_timestamp < epoch_ms(?) OR event_timestamp > epoch_ms(?) ORDER BY __row LIMIT 1")) {
            bad.setLong(1, EventTimes.EARLIEST_MS);
            bad.setLong(2, times.latestAccepted());
            try (ResultSet row = bad.executeQuery()) {
                if (row.next()) {
                    throw new InvalidFeatureRequestException(name + " row " + row.getLong(1) + ": event_timestamp "
                            + row.getString(2) + " must be set, in the years 0001-9999 and at most " + times.skew()
                            + " ahead of the feature store's clock");
                }
            }
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    /** A 400 naming the first column the entity Parquet file lacks. */
    private static void requireColumns(
            Connection duck,
            Path file,
            String name,
            Map<String, JoinKey> joinKeys,
            List<OnDemandView.RequestField> requestFields) {
        Set<String> present = new HashSet<>();
        try (Statement statement = duck.createStatement();
                ResultSet columns = statement.executeQuery(
                        "DESCRIBE SELECT * FROM read_parquet(" + ParquetOfflineStore.literal(file) + ")")) {
            while (columns.next()) {
                present.add(columns.getString(1));
            }
        } catch (SQLException e) {
            throw new InvalidFeatureRequestException(name + " is not a readable Parquet file: "
                    + firstLine(e.getMessage()).replace(file.toString(), name));
        }
        List<String> needed = new ArrayList<>(joinKeys.keySet());
        needed.add("event_timestamp");
        requestFields.forEach(field -> needed.add(field.name()));
        for (String column : needed) {
            if (!present.contains(column)) {
                throw new InvalidFeatureRequestException(
                        name + " lacks column '" + column + "'; it needs " + needed + ", has " + present);
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
}
