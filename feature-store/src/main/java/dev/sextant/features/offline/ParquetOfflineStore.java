package dev.sextant.features.offline;

import dev.sextant.features.EventTimes;
import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.online.FeatureRow;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.springframework.stereotype.Component;

/**
 * The offline store as Parquet files, one directory per view ({@code <path>/<view>/*.parquet}, columns: join
 * keys, {@code event_timestamp} and {@code created_timestamp} as UTC TIMESTAMPs, then the features), queried
 * with an embedded DuckDB per operation. Point-in-time joins are DuckDB {@code ASOF LEFT JOIN}s, which stream
 * and spill to disk past {@code memory-limit}, so memory stays bounded whatever the number of rows.
 */
@Component
class ParquetOfflineStore implements OfflineStore {

    private final FeatureRepository repository;
    private final Path root;
    private final Path trainingSets;
    private final String memoryLimit;
    private final int maxInlineRows;
    private final EventTimes times;
    private final Clock clock;
    private volatile DuckDBConnection appendDatabase;

    ParquetOfflineStore(
            FeatureRepository repository, FeatureStoreProperties.Offline settings, EventTimes times, Clock clock) {
        this.repository = repository;
        this.root = settings.path().toAbsolutePath().normalize();
        this.trainingSets = settings.trainingSetsPath().toAbsolutePath().normalize();
        this.memoryLimit = settings.memoryLimit();
        this.maxInlineRows = settings.maxInlineEntityRows();
        this.times = times;
        this.clock = clock;
    }

    @Override
    public void append(FeatureView view, List<FeatureRow> rows) {
        Path directory = root.resolve(view.name());
        String name = clock.millis() + "-" + UUID.randomUUID();
        Path temporary = directory.resolve("." + name + ".parquet.tmp");
        try (Connection duck = appendConnection()) {
            Files.createDirectories(directory);
            List<String> columns = new ArrayList<>();
            view.joinKeys().forEach(key -> columns.add(quote(key.name()) + " " + sqlType(key.type())));
            columns.add("event_ms BIGINT");
            columns.add("created_ms BIGINT");
            view.features().forEach(feature -> columns.add(quote(feature.name()) + " " + sqlType(feature.type())));
            // Temporary: private to this connection, dropped when it closes.
            execute(duck, "CREATE TEMP TABLE batch (" + String.join(", ", columns) + ")");
            insert(duck, view, rows);
            List<String> select = new ArrayList<>();
            view.joinKeys().forEach(key -> select.add(quote(key.name())));
            select.add("epoch_ms(event_ms) AS event_timestamp");
            select.add("epoch_ms(created_ms) AS created_timestamp");
            view.features().forEach(feature -> select.add(quote(feature.name())));
            execute(
                    duck,
                    "COPY (SELECT " + String.join(", ", select) + " FROM batch) TO " + literal(temporary)
                            + " (FORMAT parquet)");
            Files.move(temporary, directory.resolve(name + ".parquet"), StandardCopyOption.ATOMIC_MOVE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot append to the offline store of view " + view.name(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the offline store of view " + view.name(), e);
        }
    }

    @Override
    public TrainingSet historical(HistoricalRequest request) {
        HistoricalSelection selection = HistoricalSelection.of(repository, request.features());
        String id = UUID.randomUUID().toString();
        Path output = trainingSets.resolve(id + ".parquet");
        List<String> requestColumns = selection.requestFields().stream()
                .map(OnDemandView.RequestField::name)
                .toList();
        List<String> columns = new ArrayList<>(selection.joinKeys().keySet());
        columns.add("event_timestamp");
        columns.addAll(requestColumns);
        columns.addAll(selection.featureColumns());
        String projection = columns.stream().map(ParquetOfflineStore::quote).collect(Collectors.joining(", "));
        try (Connection duck = connect()) {
            Files.createDirectories(trainingSets);
            EntityRows.load(
                    duck,
                    request,
                    selection.joinKeys(),
                    selection.requestFields(),
                    maxInlineRows,
                    root.getParent(),
                    times);
            String pointInTime =
                    PointInTimeQuery.sql(selection.stored(), selection.joinKeys(), requestColumns, this::files);
            String result;
            if (selection.onDemand().isEmpty()) {
                result = "SELECT " + projection + " FROM (" + pointInTime + ") ORDER BY __row";
            } else {
                execute(duck, "CREATE TABLE pit AS " + pointInTime);
                OnDemandColumns.compute(duck, selection);
                result = "SELECT " + projection + " FROM pit JOIN on_demand USING (__row) ORDER BY __row";
            }
            execute(duck, "COPY (" + result + ") TO " + literal(output) + " (FORMAT parquet)");
            try (Statement statement = duck.createStatement();
                    ResultSet count =
                            statement.executeQuery("SELECT count(*) FROM read_parquet(" + literal(output) + ")")) {
                count.next();
                return new TrainingSet(id, output, count.getLong(1), columns);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("historical retrieval failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training set " + output, e);
        }
    }

    /** The Parquet files of a view, or empty when nothing was written yet. */
    List<Path> files(FeatureView view) {
        Path directory = root.resolve(view.name());
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".parquet"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void insert(Connection duck, FeatureView view, List<FeatureRow> rows) throws SQLException {
        long created = clock.millis();
        try (DuckDBAppender appender =
                duck.unwrap(DuckDBConnection.class).createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, "batch")) {
            for (FeatureRow row : rows) {
                appender.beginRow();
                for (int k = 0; k < view.joinKeys().size(); k++) {
                    append(
                            appender,
                            view.joinKeys().get(k).type(),
                            row.keyValues().get(k));
                }
                appender.append(row.eventMs());
                appender.append(created);
                for (int f = 0; f < view.features().size(); f++) {
                    append(appender, view.features().get(f).type(), row.value(f));
                }
                appender.endRow();
            }
        }
    }

    /** Appends one typed value (null as NULL); numbers are converted to the column's type. */
    static void append(DuckDBAppender appender, ValueType type, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (type) {
            case INT64 -> appender.append(((Number) value).longValue());
            case FLOAT64 -> appender.append(((Number) value).doubleValue());
            case BOOL -> appender.append(((Boolean) value).booleanValue());
            case STRING -> appender.append((String) value);
        }
    }

    /**
     * A connection to the one embedded DuckDB that appends share, opened on first use: appends are frequent (the
     * stream views append every few seconds per task) and a fresh in-memory database each time, with its thread
     * pool and catalog, cost more than the rows.
     */
    private Connection appendConnection() throws SQLException {
        DuckDBConnection database = appendDatabase;
        if (database == null) {
            synchronized (this) {
                if (appendDatabase == null) {
                    appendDatabase = connect().unwrap(DuckDBConnection.class);
                }
                database = appendDatabase;
            }
        }
        return database.duplicate();
    }

    @PreDestroy
    void close() throws SQLException {
        if (appendDatabase != null) {
            appendDatabase.close();
        }
    }

    Connection connect() throws SQLException {
        Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        execute(duck, "SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
        execute(duck, "SET temp_directory = " + literal(root.resolve(".spill")));
        execute(duck, "SET preserve_insertion_order = true");
        return duck;
    }

    static void execute(Connection duck, String sql) throws SQLException {
        try (Statement statement = duck.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A path as a SQL string literal, quotes escaped. */
    static String literal(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }

    static String quote(String identifier) {
        return "\"" + identifier + "\"";
    }

    static String sqlType(ValueType type) {
        return switch (type) {
            case INT64 -> "BIGINT";
            case FLOAT64 -> "DOUBLE";
            case BOOL -> "BOOLEAN";
            case STRING -> "VARCHAR";
        };
    }
}
