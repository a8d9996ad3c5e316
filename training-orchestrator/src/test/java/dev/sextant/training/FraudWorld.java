package dev.sextant.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A small card-fraud world for training tests and the training benchmark, generated with DuckDB: cards, merchants,
 * their profiles and transaction statistics in the feature store's offline layout, and labelled transactions.
 *
 * <p>Generative model of the label: {@code logit = -5.5 + 4 risk_score + 0.5 ln(1 + amount) + 1.5 is_foreign
 * - 0.0005 card_age_days}, so merchant risk (a pushed feature), the amount (a request value), foreignness (an
 * on-demand feature) and card age (a batch feature) carry signal, and {@code is_premium} carries none.
 *
 * <p>Usage as a program (the benchmark): {@code FraudWorld <offline dir> <label archive dir> <events> <cards>
 * <merchants>} writes the offline store and the labels straight into the archive's Parquet format.
 */
public final class FraudWorld implements AutoCloseable {

    private final Connection duck;
    private final Instant start;

    /**
     * @param start the first event time; profiles are dated a day before it
     * @param days how many days the events span (at most 28: profiles have a 30-day TTL)
     */
    public FraudWorld(long events, int cards, int merchants, Instant start, int days) throws SQLException {
        this.duck = DriverManager.getConnection("jdbc:duckdb:");
        this.start = start;
        String t0 = timestamp(start);
        try (Statement sql = duck.createStatement()) {
            sql.execute("SELECT setseed(0.17)");
            sql.execute("CREATE TABLE cards AS SELECT 'card-' || i AS card_id,"
                    + " CAST(random() * 3000 AS BIGINT) AS card_age_days, random() < 0.2 AS is_premium,"
                    + " ['FR', 'DE', 'ES', 'IT'][1 + CAST(floor(random() * 4) AS INTEGER)] AS home_country"
                    + " FROM range(" + cards + ") t(i)");
            sql.execute("CREATE TABLE merchants AS SELECT 'merchant-' || i AS merchant_id,"
                    + " random() * random() AS risk_score,"
                    + " ['grocery', 'travel', 'electronics', 'fashion'][1 + CAST(floor(random() * 4) AS INTEGER)]"
                    + " AS category, 'FR' AS country FROM range(" + merchants + ") t(i)");
            sql.execute("CREATE TABLE txn AS SELECT 'txn-' || i AS event_id,"
                    + " 'card-' || CAST(floor(random() * " + cards + ") AS BIGINT) AS card_id,"
                    + " 'merchant-' || CAST(floor(random() * " + merchants + ") AS BIGINT) AS merchant_id,"
                    + " " + t0 + " + to_milliseconds(CAST(random() * " + days + " * 86400000 AS BIGINT)) AS event_time,"
                    + " round(exp(3.5 + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())), 2) AS amount,"
                    + " random() AS u_country, random() AS u_label, random() AS u_delay"
                    + " FROM range(" + events + ") t(i)");
            sql.execute("CREATE TABLE labelled AS SELECT t.event_id, t.card_id, t.merchant_id, t.event_time,"
                    + " t.amount, CASE WHEN t.u_country < 0.9 THEN c.home_country ELSE 'US' END AS country,"
                    + " t.u_label < 1 / (1 + exp(-(-5.5 + 4 * m.risk_score + 0.5 * ln(1 + t.amount)"
                    + " + 1.5 * CASE WHEN t.u_country < 0.9 THEN 0 ELSE 1 END - 0.0005 * c.card_age_days)))"
                    + " AS label, t.event_time + to_milliseconds(CAST(3600000 + t.u_delay * 72 * 3600000 AS BIGINT))"
                    + " AS label_time FROM txn t JOIN cards c USING (card_id) JOIN merchants m USING (merchant_id)");
        }
    }

    /** Writes card_profile, merchant_profile and card_txn_stats under the offline store's root. */
    public void writeOfflineStore(Path offline) throws Exception {
        String profileTime = timestamp(start.minusSeconds(86_400));
        for (String view : List.of("card_profile", "merchant_profile", "card_txn_stats")) {
            Files.createDirectories(offline.resolve(view));
        }
        try (Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT card_id, " + profileTime + " AS event_timestamp, " + profileTime
                    + " AS created_timestamp, home_country, card_age_days, is_premium FROM cards) TO '"
                    + offline.resolve("card_profile/data.parquet") + "' (FORMAT parquet)");
            sql.execute("COPY (SELECT merchant_id, " + profileTime + " AS event_timestamp, " + profileTime
                    + " AS created_timestamp, risk_score, category, country FROM merchants) TO '"
                    + offline.resolve("merchant_profile/data.parquet") + "' (FORMAT parquet)");
            // The card's statistics as the stream would have written them shortly before each payment.
            sql.execute("COPY (SELECT card_id, event_time - to_milliseconds(CAST(1 + u_delay * 1800000 AS BIGINT))"
                    + " AS event_timestamp, event_time AS created_timestamp,"
                    + " CAST(1 + u_delay * 4 AS BIGINT) AS txn_count_10m, CAST(1 + u_delay * 12 AS BIGINT) AS"
                    + " txn_count_1h, amount AS amount_sum_10m, amount * 3 AS amount_sum_1h, amount AS"
                    + " amount_mean_1h, amount * 1.5 AS amount_max_1h FROM txn) TO '"
                    + offline.resolve("card_txn_stats/data.parquet") + "' (FORMAT parquet)");
        }
    }

    /** The labels as labels.v1 JSON values, in event order. */
    public List<String> labelEvents() throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT event_id, label, epoch_ms(event_time), epoch_ms(label_time),"
                        + " card_id, merchant_id, amount, country FROM labelled ORDER BY event_time")) {
            while (rs.next()) {
                values.add(String.format(
                        java.util.Locale.ROOT,
                        "{\"event_id\": \"%s\", \"label\": %d, \"event_time\": %d, \"label_time\": \"%s\","
                                + " \"entities\": {\"card_id\": \"%s\", \"merchant_id\": \"%s\"},"
                                + " \"request\": {\"amount\": %s, \"country\": \"%s\"}}",
                        rs.getString(1),
                        rs.getBoolean(2) ? 1 : 0,
                        rs.getLong(3),
                        Instant.ofEpochMilli(rs.getLong(4)),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getDouble(7),
                        rs.getString(8)));
            }
        }
        return values;
    }

    /** Writes the labels straight into the label archive's Parquet format (as if consumed from labels.v1). */
    public void writeLabelArchive(Path archive) throws Exception {
        Files.createDirectories(archive);
        try (Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT event_id, label, event_time, label_time,"
                    + " json_object('card_id', card_id, 'merchant_id', merchant_id)::VARCHAR AS entities,"
                    + " json_object('amount', amount, 'country', country)::VARCHAR AS request,"
                    + " 0 AS kafka_partition, row_number() OVER (ORDER BY event_time) AS kafka_offset"
                    + " FROM labelled ORDER BY event_time) TO '"
                    + archive.resolve("labels-p000-o0000000000000000000.parquet")
                    + "' (FORMAT parquet)");
        }
    }

    public double positiveRate() throws SQLException {
        try (Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT avg(CASE WHEN label THEN 1 ELSE 0 END) FROM labelled")) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    @Override
    public void close() throws SQLException {
        duck.close();
    }

    private static String timestamp(Instant instant) {
        return "TIMESTAMP '" + LocalDateTime.ofInstant(instant, ZoneOffset.UTC) + "'";
    }

    public static void main(String[] args) throws Exception {
        long events = Long.parseLong(args[2]);
        Instant start =
                Instant.now().minus(java.time.Duration.ofDays(21)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        try (FraudWorld world =
                new FraudWorld(events, Integer.parseInt(args[3]), Integer.parseInt(args[4]), start, 20)) {
            world.writeOfflineStore(Path.of(args[0]));
            world.writeLabelArchive(Path.of(args[1]));
            System.out.printf(
                    "wrote %,d labelled events (%.2f%% positive) from %s%n", events, 100 * world.positiveRate(), start);
        }
    }
}
