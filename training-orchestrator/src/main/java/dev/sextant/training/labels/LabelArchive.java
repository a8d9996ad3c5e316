package dev.sextant.training.labels;

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
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labels' offline archive: Parquet files, one per consumed batch of one partition, named by the batch's
 * first offset so a redelivered batch rewrites its own file. A file is written under a temporary name and
 * renamed, so a reader never sees half of one. Written through one in-memory DuckDB database kept open; read with
 * DuckDB, keeping each event's latest label.
 */
public class LabelArchive implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LabelArchive.class);

    /** A batch is a few thousand rows at most: one thread, and no more memory than that needs. */
    private static final Properties WRITER_SETTINGS = writerSettings();

    private final Path directory;
    private DuckDBConnection writer;

    public LabelArchive(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** Summary of what the archive holds. */
    public record Summary(long files, long labels, long positives, Instant firstEventTime, Instant lastEventTime) {}

    /** One consumed label with where it came from. */
    record Archived(LabelEvent event, int partition, long offset) {}

    /**
     * Writes one consumed batch of one partition. The archiver's DuckDB database is opened by the first batch and
     * kept: a database started per batch cost the orchestrator a tenth of a core at a trickle of labels (the
     * demo's 25 a second). A failed write closes it, so the next batch starts on a fresh one.
     */
    synchronized void write(int partition, long firstOffset, List<Archived> labels) {
        if (labels.isEmpty()) {
            return;
        }
        String name = String.format("labels-p%03d-o%019d", partition, firstOffset);
        Path target = directory.resolve(name + ".parquet");
        Path temporary = directory.resolve("." + name + ".parquet.tmp");
        try {
            Files.createDirectories(directory);
            DuckDBConnection duck = writer();
            try (Statement statement = duck.createStatement()) {
                statement.execute("DELETE FROM batch");
            }
            try (DuckDBAppender appender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "batch")) {
                for (Archived archived : labels) {
                    LabelEvent label = archived.event();
                    appender.beginRow();
                    appender.append(label.eventId());
                    appender.append(label.label());
                    appender.append(LocalDateTime.ofInstant(label.eventTime(), ZoneOffset.UTC));
                    appender.append(LocalDateTime.ofInstant(label.labelTime(), ZoneOffset.UTC));
                    appender.append(label.entities());
                    appender.append(label.request());
                    appender.append(archived.partition());
                    appender.append(archived.offset());
                    appender.endRow();
                }
            }
            try (Statement statement = duck.createStatement()) {
                statement.execute(
                        "COPY (SELECT * FROM batch ORDER BY event_time) TO '" + temporary + "' (FORMAT parquet)");
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("cannot write labels to " + target, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write labels to " + target, e);
        }
    }

    /** The writer's in-memory database, with its one table of the batch being written. */
    private DuckDBConnection writer() throws SQLException {
        if (writer == null) {
            DuckDBConnection duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", WRITER_SETTINGS);
            try (Statement statement = duck.createStatement()) {
                statement.execute("CREATE TABLE batch (event_id VARCHAR, label BOOLEAN, event_time TIMESTAMP,"
                        + " label_time TIMESTAMP, entities VARCHAR, request VARCHAR, kafka_partition INTEGER,"
                        + " kafka_offset BIGINT)");
            } catch (SQLException e) {
                duck.close();
                throw e;
            }
            writer = duck;
        }
        return writer;
    }

    /** Closes the writer's database (the next batch opens another). */
    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException e) {
                log.warn("the label archive's writer did not close cleanly: {}", e.getMessage());
            }
            writer = null;
        }
    }

    /** Whether any label was archived. */
    public boolean isEmpty() {
        if (!Files.isDirectory(directory)) {
            return true;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.noneMatch(file -> file.getFileName().toString().endsWith(".parquet"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /**
     * A DuckDB query over the archive: each event's latest label (by label time, then position in the topic)
     * with its event time in {@code [from, to)}. Columns: event_id, label, event_time, label_time, entities,
     * request (JSON text).
     */
    public String latestLabels(Instant from, Instant to) {
        return "SELECT event_id, label, event_time, label_time, entities, request FROM read_parquet('"
                + directory.resolve("*.parquet") + "', union_by_name = true)"
                + " WHERE event_time >= " + literal(from) + " AND event_time < " + literal(to)
                + " QUALIFY row_number() OVER (PARTITION BY event_id"
                + " ORDER BY label_time DESC, kafka_partition DESC, kafka_offset DESC) = 1";
    }

    public Summary summary() {
        if (isEmpty()) {
            return new Summary(0, 0, 0, null, null);
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(DISTINCT filename), count(DISTINCT event_id),"
                        + " count(DISTINCT event_id) FILTER (WHERE label), min(event_time), max(event_time) FROM"
                        + " read_parquet('" + directory.resolve("*.parquet") + "', union_by_name = true,"
                        + " filename = true)")) {
            rs.next();
            return new Summary(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getTimestamp(4) == null ? null : utc(rs.getTimestamp(4)),
                    rs.getTimestamp(5) == null ? null : utc(rs.getTimestamp(5)));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the label archive " + directory, e);
        }
    }

    private static Properties writerSettings() {
        Properties settings = new Properties();
        settings.setProperty("threads", "1");
        settings.setProperty("memory_limit", "256MB");
        return settings;
    }

    /** A DuckDB TIMESTAMP literal (UTC, as the archive stores times). */
    public static String literal(Instant instant) {
        return "TIMESTAMP '" + LocalDateTime.ofInstant(instant, ZoneOffset.UTC) + "'";
    }

    private static Instant utc(Timestamp timestamp) {
        return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
}
