package dev.sextant.features.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.features.EventTimes;
import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.online.FeatureRow;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time retrieval from the Parquet/DuckDB offline store, checked value by value against a brute-force
 * computation on the same random data: several files per view, duplicate event times overwritten by later
 * writes, TTL gaps, entities without history, entity rows before any event, and entity rows at the very instant
 * of a write (whole minutes both), which see the value before it.
 */
class PointInTimeRetrievalIT {

    private static final FeatureRepository REPOSITORY = FeatureRepositoryLoader.bundled();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock();

    @Test
    void everyValueIsTheLatestWrittenBeforeTheRowTimeWithinTtlNeverAtItOrLater() throws SQLException {
        ParquetOfflineStore store = store();
        Random random = new Random(42);
        FeatureView stats = REPOSITORY.view("card_txn_stats").orElseThrow();
        FeatureView profile = REPOSITORY.view("card_profile").orElseThrow();
        List<Written> written = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            clock.now = T0.plus(Duration.ofDays(1 + batch));
            List<FeatureRow> statsRows = new ArrayList<>();
            List<FeatureRow> profileRows = new ArrayList<>();
            for (int card = 0; card < 30; card++) {
                for (int event = 0; event < 5; event++) {
                    Instant at = T0.plus(Duration.ofMinutes(random.nextInt(600)));
                    Map<String, Object> values = Map.of(
                            "txn_count_10m", (long) random.nextInt(50), "amount_mean_1h", random.nextDouble() * 500);
                    statsRows.add(FeatureRow.checked(stats, 0, Map.of("card_id", "c" + card), at, values));
                    written.add(new Written(stats, "c" + card, at, batch, values));
                }
                if (random.nextInt(3) == 0) {
                    Instant at = T0.minus(Duration.ofDays(random.nextInt(60)));
                    Map<String, Object> values = Map.of("home_country", "C" + random.nextInt(9));
                    profileRows.add(FeatureRow.checked(profile, 0, Map.of("card_id", "c" + card), at, values));
                    written.add(new Written(profile, "c" + card, at, batch, values));
                }
            }
            store.append(stats, statsRows);
            store.append(profile, profileRows);
        }
        List<Map<String, Object>> entityRows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String card = random.nextInt(20) == 0 ? "unknown" : "c" + random.nextInt(30);
            Instant at = T0.plus(Duration.ofMinutes(random.nextInt(860) - 60));
            entityRows.add(Map.of("card_id", card, "event_timestamp", at.toString()));
        }

        TrainingSet set = store.historical(new HistoricalRequest(
                List.of("card_txn_stats:txn_count_10m", "card_txn_stats:amount_mean_1h", "card_profile:home_country"),
                entityRows,
                null));

        assertThat(set.rows()).isEqualTo(400);
        assertThat(set.columns())
                .containsExactly(
                        "card_id",
                        "event_timestamp",
                        "card_txn_stats__txn_count_10m",
                        "card_txn_stats__amount_mean_1h",
                        "card_profile__home_country");
        List<Map<String, Object>> actual = read(set.path());
        int present = 0;
        for (int i = 0; i < entityRows.size(); i++) {
            String card = (String) entityRows.get(i).get("card_id");
            Instant at = Instant.parse((String) entityRows.get(i).get("event_timestamp"));
            Map<String, Object> statsExpected = expected(written, stats, card, at);
            Map<String, Object> profileExpected = expected(written, profile, card, at);
            Map<String, Object> row = actual.get(i);
            assertThat(row.get("card_id")).isEqualTo(card);
            assertThat(row.get("card_txn_stats__txn_count_10m"))
                    .as("row %d", i)
                    .isEqualTo(statsExpected.get("txn_count_10m"));
            assertThat(row.get("card_txn_stats__amount_mean_1h"))
                    .as("row %d", i)
                    .isEqualTo(statsExpected.get("amount_mean_1h"));
            assertThat(row.get("card_profile__home_country"))
                    .as("row %d", i)
                    .isEqualTo(profileExpected.get("home_country"));
            present += statsExpected.isEmpty() ? 0 : 1;
        }
        assertThat(present).as("rows with a stats value").isBetween(100, 390);
    }

    @Test
    void aViewWithNoDataYetGivesNullsAndBadRequestsNameTheProblem() throws SQLException {
        ParquetOfflineStore store = store();
        TrainingSet set = store.historical(new HistoricalRequest(
                List.of("merchant_profile:risk_score"),
                List.of(Map.of("merchant_id", "m1", "event_timestamp", T0.toString())),
                null));
        assertThat(read(set.path())).singleElement().satisfies(row -> assertThat(
                        row.get("merchant_profile__risk_score"))
                .isNull());

        assertThatThrownBy(() -> store.historical(new HistoricalRequest(
                        List.of("card_profile:nope"),
                        List.of(Map.of("card_id", "c1", "event_timestamp", T0.toString())),
                        null)))
                .isInstanceOf(InvalidFeatureRequestException.class)
                .hasMessage("feature view 'card_profile' has no feature 'nope'");
        assertThatThrownBy(() -> store.historical(new HistoricalRequest(
                        List.of("card_profile:home_country"),
                        List.of(Map.of("card_id", "c1", "event_timestamp", "noon")),
                        null)))
                .isInstanceOf(InvalidFeatureRequestException.class)
                .hasMessageStartingWith("entity_rows[0].event_timestamp must be an ISO-8601 timestamp");
        assertThatThrownBy(() -> store.historical(new HistoricalRequest(
                        List.of("card_profile:home_country"),
                        List.of(Map.of("merchant_id", "m1", "event_timestamp", T0.toString())),
                        null)))
                .isInstanceOf(InvalidFeatureRequestException.class)
                .hasMessage("entity_rows[0].card_id must be STRING and is missing");
        assertThatThrownBy(() -> store.historical(
                        new HistoricalRequest(List.of("card_profile:home_country"), null, Path.of("/etc/passwd"))))
                .isInstanceOf(InvalidFeatureRequestException.class)
                .hasMessage("entity_parquet must name an existing file in the feature store's data directory, got"
                        + " '/etc/passwd'");
    }

    @Test
    void entityRowsWithTimesOutOfRangeOrAheadOfTheClockOrFilesThatAreNotParquetAreRefusedWithoutNamingTheDisk()
            throws Exception {
        ParquetOfflineStore store = store();
        List<String> features = List.of("card_profile:home_country");
        // +300000000 overflowed epoch milliseconds (a 500); 9999 passed and read every feature's latest value.
        assertRefused(
                store,
                new HistoricalRequest(
                        features,
                        List.of(Map.of("card_id", "c1", "event_timestamp", "+300000000-01-01T00:00:00Z")),
                        null),
                "entity_rows[0].event_timestamp must be in the years 0001-9999, got '+300000000-01-01T00:00:00Z'");
        assertRefused(
                store,
                new HistoricalRequest(
                        features,
                        List.of(
                                Map.of("card_id", "c1", "event_timestamp", T0.toString()),
                                Map.of("card_id", "c1", "event_timestamp", "9999-01-01T00:00:00Z")),
                        null),
                "entity_rows[1].event_timestamp 9999-01-01T00:00:00Z is more than PT5M ahead of the feature store's"
                        + " clock");

        Path files = Files.createDirectories(data.resolve("uploads"));
        Path text = Files.writeString(files.resolve("entities.csv"), "card_id,event_timestamp\nc1,2026-01-01\n");
        assertRefused(
                store,
                HistoricalRequest.uploaded(features, text),
                "part 'entities' is not a Parquet file (it must begin and end with PAR1), 38 bytes");
        Path truncated = files.resolve("truncated.parquet");
        Path ahead = files.resolve("ahead.parquet");
        Path words = files.resolve("words.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT 'c' || i AS card_id, TIMESTAMP '2026-01-01 00:00:00' + to_days(i * 100) AS"
                    + " event_timestamp FROM range(40) t(i)) TO '" + ahead + "' (FORMAT parquet)");
            sql.execute("COPY (SELECT 'c1' AS card_id, 'noon' AS event_timestamp) TO '" + words + "' (FORMAT parquet)");
        }
        byte[] whole = Files.readAllBytes(ahead);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 100);
        System.arraycopy("PAR1".getBytes(), 0, cut, cut.length - 4, 4);
        Files.write(truncated, cut);
        assertRefused(
                store,
                new HistoricalRequest(features, null, ahead),
                "entity_parquet row 1: event_timestamp 2026-04-11 00:00:00 must be set, in the years 0001-9999 and at"
                        + " most PT5M ahead of the feature store's clock");
        assertRefused(
                store,
                HistoricalRequest.uploaded(features, words),
                "part 'entities' has a column of the wrong type (join keys [card_id STRING], event_timestamp"
                        + " TIMESTAMP): Conversion Error:");
        assertRefused(
                store,
                HistoricalRequest.uploaded(features, truncated),
                "part 'entities' is not a readable" + " Parquet file:");
        assertThat(Files.list(data.resolve("training-sets"))).isEmpty();
    }

    private void assertRefused(ParquetOfflineStore store, HistoricalRequest request, String message) {
        assertThatThrownBy(() -> store.historical(request))
                .isInstanceOf(InvalidFeatureRequestException.class)
                .hasMessageStartingWith(message)
                .message()
                .doesNotContain(data.toString());
    }

    /**
     * The brute force: the latest write before {@code at} (a write at {@code at} itself is not yet seen), ties to
     * the latest batch, within TTL.
     */
    private static Map<String, Object> expected(List<Written> written, FeatureView view, String card, Instant at) {
        Written best = null;
        for (Written w : written) {
            if (w.view == view && w.card.equals(card) && w.at.isBefore(at)) {
                if (best == null || w.at.isAfter(best.at) || (w.at.equals(best.at) && w.batch > best.batch)) {
                    best = w;
                }
            }
        }
        if (best == null || (view.hasTtl() && best.at.isBefore(at.minus(view.ttl())))) {
            return Map.of();
        }
        return best.values;
    }

    private ParquetOfflineStore store() {
        FeatureStoreProperties properties = new FeatureStoreProperties(
                "",
                new FeatureStoreProperties.Offline(
                        data.resolve("offline"),
                        data.resolve("training-sets"),
                        "256MB",
                        10_000,
                        Duration.ofDays(7),
                        Duration.ofDays(1),
                        Duration.ofMinutes(10)),
                new FeatureStoreProperties.Online(Duration.ofSeconds(1), 100, 100, Duration.ofHours(1)),
                new FeatureStoreProperties.Stream(
                        false, Duration.ofMillis(100), 1000, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                Duration.ofMinutes(5));
        return new ParquetOfflineStore(
                REPOSITORY, properties.offline(), new EventTimes(clock, properties.maxClockSkew()), clock);
    }

    private static List<Map<String, Object>> read(Path parquet) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM read_parquet('" + parquet + "')")) {
            while (result.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                    row.put(result.getMetaData().getColumnName(c), result.getObject(c));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private record Written(FeatureView view, String card, Instant at, int batch, Map<String, Object> values) {}

    private static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
