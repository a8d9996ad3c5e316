package dev.sextant.training.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive writes every batch through one DuckDB database it keeps open: each file holds its own batch and
 * nothing of the batches before it, a redelivered batch rewrites its own file, and a closed archive opens another
 * database for the next batch.
 */
class LabelArchiveTest {

    private static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");

    @TempDir
    Path data;

    @Test
    void eachFileHoldsOnlyItsOwnBatch() throws Exception {
        try (LabelArchive archive = new LabelArchive(archivePath())) {
            archive.write(0, 0, batch(0, 0, 3));
            archive.write(1, 0, batch(1, 0, 2));
            archive.write(0, 3, batch(0, 3, 4));

            assertThat(rowsByFile())
                    .containsExactly(
                            Map.entry("labels-p000-o0000000000000000000.parquet", 3L),
                            Map.entry("labels-p000-o0000000000000000003.parquet", 4L),
                            Map.entry("labels-p001-o0000000000000000000.parquet", 2L));
            assertThat(archive.summary().labels()).isEqualTo(9);
        }
    }

    @Test
    void aRedeliveredBatchRewritesItsOwnFile() throws Exception {
        try (LabelArchive archive = new LabelArchive(archivePath())) {
            archive.write(0, 0, batch(0, 0, 3));
            archive.write(0, 0, batch(0, 0, 3));

            assertThat(rowsByFile()).containsExactly(Map.entry("labels-p000-o0000000000000000000.parquet", 3L));
            assertThat(archive.summary().files()).isEqualTo(1);
        }
    }

    @Test
    void aClosedArchiveWritesTheNextBatchOnAFreshDatabase() throws Exception {
        try (LabelArchive archive = new LabelArchive(archivePath())) {
            archive.write(0, 0, batch(0, 0, 2));
            archive.close();
            archive.write(0, 2, batch(0, 2, 5));

            assertThat(rowsByFile())
                    .containsExactly(
                            Map.entry("labels-p000-o0000000000000000000.parquet", 2L),
                            Map.entry("labels-p000-o0000000000000000002.parquet", 5L));
        }
    }

    private Map<String, Long> rowsByFile() throws Exception {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                ResultSet rs = statement.executeQuery("SELECT parse_filename(filename), count(*) FROM read_parquet('"
                        + archivePath().resolve("*.parquet") + "', filename = true) GROUP BY ALL ORDER BY 1")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return rows;
    }

    /** {@code count} labels of one partition from {@code firstOffset} on, one a minute. */
    private static List<LabelArchive.Archived> batch(int partition, long firstOffset, int count) {
        List<LabelArchive.Archived> labels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long offset = firstOffset + i;
            Instant eventTime = T0.plusSeconds(60 * offset);
            labels.add(new LabelArchive.Archived(
                    new LabelEvent(
                            "p" + partition + "-" + offset,
                            offset % 2 == 0,
                            eventTime,
                            eventTime.plusSeconds(600),
                            "{\"card_id\": \"c" + offset + "\"}",
                            "{\"amount\": 12.5}"),
                    partition,
                    offset));
        }
        return labels;
    }

    private Path archivePath() {
        return data.resolve("labels");
    }
}
