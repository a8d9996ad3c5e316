package dev.sextant.features.offline;

import static dev.sextant.features.offline.ParquetOfflineStore.quote;

import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.online.FeatureRow;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import dev.sextant.features.client.online.OnlineFeatureWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Copies the latest offline value of every entity with an event time in [start, end) to the online store, view
 * by view, in batches (progress logged). Without a start it continues from where the last run of that view
 * ended (kept in {@code <offline>/<view>/_materialized_until}), so repeated runs are incremental. Online writes
 * are ordered by event time, so materializing an old range never overwrites a newer online value.
 */
@Component
class Materializer {

    private static final Logger log = LoggerFactory.getLogger(Materializer.class);
    private static final String WATERMARK = "_materialized_until";
    private static final int BATCH = 1000;

    private final FeatureRepository repository;
    private final ParquetOfflineStore offline;
    private final OnlineFeatureWriter writer;
    private final Path root;
    private final Clock clock;

    Materializer(
            FeatureRepository repository,
            ParquetOfflineStore offline,
            OnlineFeatureWriter writer,
            FeatureStoreProperties.Offline settings,
            Clock clock) {
        this.repository = repository;
        this.offline = offline;
        this.writer = writer;
        this.root = settings.path().toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** What one view's run did. */
    record ViewRun(String featureView, Instant start, Instant end, long rowsRead, long written, long skippedAsOlder) {}

    List<ViewRun> materialize(List<String> viewNames, Instant start, Instant end) {
        Instant until = end == null ? clock.instant() : end;
        List<FeatureView> views = viewNames == null || viewNames.isEmpty()
                ? repository.views()
                : viewNames.stream()
                        .map(name -> repository
                                .view(name)
                                .orElseThrow(() ->
                                        new InvalidFeatureRequestException("unknown feature view '" + name + "'")))
                        .toList();
        if (start != null && !start.isBefore(until)) {
            throw new InvalidFeatureRequestException("start must be before end, got " + start + " and " + until);
        }
        List<ViewRun> runs = new ArrayList<>();
        for (FeatureView view : views) {
            Instant from = start != null ? start : watermark(view);
            runs.add(from.isBefore(until) ? run(view, from, until) : new ViewRun(view.name(), from, until, 0, 0, 0));
        }
        return runs;
    }

    private ViewRun run(FeatureView view, Instant from, Instant until) {
        List<Path> files = offline.files(view);
        long read = 0;
        long written = 0;
        long skipped = 0;
        if (!files.isEmpty()) {
            try (Connection duck = offline.connect();
                    PreparedStatement query = duck.prepareStatement(latestPerEntity(view, files))) {
                query.setLong(1, from.toEpochMilli());
                query.setLong(2, until.toEpochMilli());
                try (ResultSet rows = query.executeQuery()) {
                    List<FeatureRow> batch = new ArrayList<>(BATCH);
                    boolean more = rows.next();
                    while (more) {
                        batch.add(row(view, rows));
                        read++;
                        more = rows.next();
                        if (batch.size() == BATCH || !more) {
                            OnlineFeatureWriter.WriteResult result = writer.write(view, batch);
                            written += result.written();
                            skipped += result.skippedAsOlder();
                            if (batch.size() == BATCH) {
                                log.info("materializing {}: {} rows so far", view.name(), read);
                            }
                            batch.clear();
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("materializing " + view.name() + " failed", e);
            }
        }
        saveWatermark(view, until);
        log.info(
                "materialized {} [{}, {}): {} rows read, {} written, {} older than online",
                view.name(),
                from,
                until,
                read,
                written,
                skipped);
        return new ViewRun(view.name(), from, until, read, written, skipped);
    }

    private static String latestPerEntity(FeatureView view, List<Path> files) {
        List<String> keys =
                view.joinKeys().stream().map(key -> quote(key.name())).toList();
        List<String> features =
                view.features().stream().map(f -> quote(f.name())).toList();
        String list = String.join(
                ", ", files.stream().map(ParquetOfflineStore::literal).toList());
        return "SELECT " + String.join(", ", keys) + ", epoch_ms(event_timestamp) AS event_ms, "
                + String.join(", ", features)
                + " FROM read_parquet([" + list + "], union_by_name = true)"
                + " WHERE event_timestamp >= epoch_ms(?) AND event_timestamp < epoch_ms(?)"
                + " QUALIFY row_number() OVER (PARTITION BY " + String.join(", ", keys)
                + " ORDER BY event_timestamp DESC, created_timestamp DESC) = 1";
    }

    /** A row as the offline store typed it (BIGINT, DOUBLE, BOOLEAN, VARCHAR: the features' Java types). */
    private static FeatureRow row(FeatureView view, ResultSet rows) throws SQLException {
        List<Object> keys = new ArrayList<>(view.joinKeys().size());
        for (JoinKey key : view.joinKeys()) {
            keys.add(rows.getObject(key.name()));
        }
        Object[] values = new Object[view.features().size()];
        for (int f = 0; f < values.length; f++) {
            values[f] = rows.getObject(view.features().get(f).name());
        }
        return FeatureRow.of(view, keys, rows.getLong("event_ms"), values);
    }

    private Instant watermark(FeatureView view) {
        Path file = root.resolve(view.name()).resolve(WATERMARK);
        try {
            return Files.exists(file) ? Instant.parse(Files.readString(file).strip()) : Instant.EPOCH;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void saveWatermark(FeatureView view, Instant until) {
        Path directory = root.resolve(view.name());
        try {
            Files.createDirectories(directory);
            Path temporary = directory.resolve(WATERMARK + ".tmp");
            Files.writeString(temporary, until.toString());
            Files.move(temporary, directory.resolve(WATERMARK), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the materialization of " + view.name(), e);
        }
    }
}
