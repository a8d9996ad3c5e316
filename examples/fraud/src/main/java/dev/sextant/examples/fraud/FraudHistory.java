package dev.sextant.examples.fraud;

import dev.sextant.examples.fraud.FraudWorld.Card;
import dev.sextant.examples.fraud.FraudWorld.Merchant;
import dev.sextant.examples.fraud.FraudWorld.Payment;
import dev.sextant.examples.fraud.FraudWorld.Regime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A {@link FraudWorld}'s past as the platform would hold it after living through it, for tests and benchmarks that
 * train: the offline store's views (card and merchant profiles, and the card's and the merchant's transaction
 * statistics as the stream would have written them just after each payment) and each payment's outcome as a label
 * ({@code labels.v1} JSON, or straight into the label archive's Parquet format). The payments are the world's own
 * draws; DuckDB computes the statistics (exact sliding windows of 10 minutes and an hour; the stream's are aligned
 * to minute buckets) and writes the Parquet files. Outcomes become known an hour to three days after each payment.
 *
 * <p>Usage as a program (the training benchmark): {@code FraudHistory <offline dir> <label archive dir> <payments>
 * <cards> <merchants>}, with DuckDB's JDBC driver on the classpath.
 */
public final class FraudHistory implements AutoCloseable {

    private static final long SEED = 17;

    private final DuckDBConnection duck;
    private final Instant start;
    private final int payments;

    /**
     * Draws {@code payments} payments of a world of {@code cards} and {@code merchants} from {@code start}, all within
     * {@code span} (which should stay under the profiles' 30-day TTL): the world's rate is set for them to fill nine
     * tenths of it, which leaves several standard deviations of the arrival times' sum to spare from a thousand
     * payments on.
     */
    public static FraudHistory draw(int payments, int cards, int merchants, Instant start, Duration span)
            throws SQLException {
        FraudWorld world = new FraudWorld(
                new FraudWorld.Settings(cards, merchants, payments / (0.9 * span.toSeconds()), SEED, "h"));
        return new FraudHistory(world, Regime.BASELINE, start, payments);
    }

    /** The next {@code payments} payments of {@code world} after {@code start}, drawn from {@code regime}. */
    public FraudHistory(FraudWorld world, Regime regime, Instant start, int payments) throws SQLException {
        this.duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        this.start = start;
        this.payments = payments;
        try (Statement sql = duck.createStatement()) {
            sql.execute("CREATE TABLE cards (card_id VARCHAR, home_country VARCHAR, card_age_days BIGINT,"
                    + " is_premium BOOLEAN)");
            sql.execute("CREATE TABLE merchants (merchant_id VARCHAR, risk_score DOUBLE, category VARCHAR,"
                    + " country VARCHAR)");
            sql.execute("CREATE TABLE payments (event_id VARCHAR, card_id VARCHAR, merchant_id VARCHAR,"
                    + " event_ms BIGINT, amount DOUBLE, country VARCHAR, label BOOLEAN, label_ms BIGINT)");
        }
        try (DuckDBAppender rows = duck.createAppender("cards")) {
            for (Card card : world.cards()) {
                rows.beginRow()
                        .append(card.id())
                        .append(card.homeCountry())
                        .append((long) card.ageDays())
                        .append(card.premium())
                        .endRow();
            }
        }
        try (DuckDBAppender rows = duck.createAppender("merchants")) {
            for (Merchant merchant : world.merchants()) {
                rows.beginRow()
                        .append(merchant.id())
                        .append(merchant.riskScore())
                        .append(merchant.category())
                        .append(merchant.country())
                        .endRow();
            }
        }
        SplittableRandom delays = new SplittableRandom(SEED);
        try (DuckDBAppender rows = duck.createAppender("payments")) {
            Instant at = start;
            for (int i = 0; i < payments; i++) {
                Payment payment = world.next(at, regime);
                at = payment.authorizedAt();
                long eventMs = at.toEpochMilli();
                rows.beginRow()
                        .append(payment.id())
                        .append(payment.card().id())
                        .append(payment.merchant().id())
                        .append(eventMs)
                        .append(payment.amount())
                        .append(payment.country())
                        .append(payment.fraud())
                        .append(eventMs + 3_600_000L + (long) (delays.nextDouble() * 72 * 3_600_000L))
                        .endRow();
            }
        }
    }

    /**
     * Writes {@code card_profile}, {@code merchant_profile} (dated a day before the first payment),
     * {@code card_txn_stats} and {@code merchant_txn_stats} under the offline store's root, one Parquet file per
     * view.
     */
    public void writeOfflineStore(Path offline) throws Exception {
        for (String view : List.of("card_profile", "merchant_profile", "card_txn_stats", "merchant_txn_stats")) {
            Files.createDirectories(offline.resolve(view));
        }
        long profileMs = start.minus(Duration.ofDays(1)).toEpochMilli();
        try (Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT card_id, epoch_ms(" + profileMs + ") AS event_timestamp, epoch_ms(" + profileMs
                    + ") AS created_timestamp, home_country, card_age_days, is_premium FROM cards) TO '"
                    + offline.resolve("card_profile/data.parquet") + "' (FORMAT parquet)");
            sql.execute("COPY (SELECT merchant_id, epoch_ms(" + profileMs + ") AS event_timestamp, epoch_ms("
                    + profileMs + ") AS created_timestamp, risk_score, category, country FROM merchants) TO '"
                    + offline.resolve("merchant_profile/data.parquet") + "' (FORMAT parquet)");
            for (String entity : List.of("card", "merchant")) {
                sql.execute("COPY (" + statistics(entity + "_id") + ") TO '"
                        + offline.resolve(entity + "_txn_stats/data.parquet") + "' (FORMAT parquet)");
            }
        }
    }

    /**
     * The entity's statistics after each of its payments (a millisecond after it, so a payment is scored and
     * trained on without itself, as online).
     */
    private static String statistics(String key) {
        return "SELECT " + key + ", epoch_ms(event_ms + 1) AS event_timestamp, epoch_ms(event_ms + 1)"
                + " AS created_timestamp, count(*) OVER w10m AS txn_count_10m, count(*) OVER w1h AS txn_count_1h,"
                + " sum(amount) OVER w10m AS amount_sum_10m, sum(amount) OVER w1h AS amount_sum_1h,"
                + " avg(amount) OVER w1h AS amount_mean_1h, max(amount) OVER w1h AS amount_max_1h FROM payments"
                + " WINDOW w10m AS (PARTITION BY " + key + " ORDER BY event_ms RANGE BETWEEN 599999 PRECEDING AND"
                + " CURRENT ROW), w1h AS (PARTITION BY " + key + " ORDER BY event_ms RANGE BETWEEN 3599999"
                + " PRECEDING AND CURRENT ROW)";
    }

    /** The outcomes as {@code labels.v1} JSON values, in payment order. */
    public List<String> labelEvents() throws SQLException {
        List<String> values = new ArrayList<>(payments);
        try (Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT event_id, label, event_ms, label_ms, card_id, merchant_id,"
                        + " amount, country FROM payments ORDER BY event_ms")) {
            while (rs.next()) {
                values.add(String.format(
                        Locale.ROOT,
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

    /** Writes the outcomes straight into the label archive's Parquet format (as if consumed from labels.v1). */
    public void writeLabelArchive(Path archive) throws Exception {
        Files.createDirectories(archive);
        try (Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT event_id, label, epoch_ms(event_ms) AS event_time, epoch_ms(label_ms) AS"
                    + " label_time, json_object('card_id', card_id, 'merchant_id', merchant_id)::VARCHAR AS"
                    + " entities, json_object('amount', amount, 'country', country)::VARCHAR AS request,"
                    + " 0 AS kafka_partition, row_number() OVER (ORDER BY event_ms) AS kafka_offset FROM payments"
                    + " ORDER BY event_ms) TO '" + archive.resolve("labels-p000-o0000000000000000000.parquet")
                    + "' (FORMAT parquet)");
        }
    }

    /** The share of payments that were fraud. */
    public double positiveRate() throws SQLException {
        try (Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT avg(CASE WHEN label THEN 1 ELSE 0 END) FROM payments")) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    @Override
    public void close() throws SQLException {
        duck.close();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: FraudHistory <offline dir> <label archive dir> <payments> <cards> <merchants>");
            System.exit(2);
        }
        int payments = Integer.parseInt(args[2]);
        Instant start = Instant.now().minus(Duration.ofDays(21)).truncatedTo(ChronoUnit.DAYS);
        try (FraudHistory history =
                draw(payments, Integer.parseInt(args[3]), Integer.parseInt(args[4]), start, Duration.ofDays(20))) {
            history.writeOfflineStore(Path.of(args[0]));
            history.writeLabelArchive(Path.of(args[1]));
            System.out.printf(
                    Locale.ROOT,
                    "wrote %,d labelled payments (%.2f%% fraud) from %s%n",
                    payments,
                    100 * history.positiveRate(),
                    start);
        }
    }
}
