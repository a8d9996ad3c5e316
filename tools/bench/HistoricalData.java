import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Writes an offline store and entity rows for the historical-retrieval benchmark, with DuckDB, in the layout the
 * feature store reads (feature-store/README.md, "Offline store"): under {@code <data>/feature-store/offline},
 * card_txn_stats ({@code cards} cards × 20 rows), card_profile (2 rows per card) and merchant_profile
 * ({@code merchants} × 10 rows) over 7 days; and {@code <data>/feature-store/entities.parquet}, {@code rows} entity
 * rows (card, merchant, a time in the same 7 days).
 *
 * <p>Usage: {@code java -cp <duckdb_jdbc jar> tools/bench/HistoricalData.java <data> <rows> <cards> <merchants>}
 */
public class HistoricalData {

    public static void main(String[] args) throws Exception {
        String root = args[0] + "/feature-store";
        long rows = Long.parseLong(args[1]);
        long cards = Long.parseLong(args[2]);
        long merchants = Long.parseLong(args[3]);
        String start = "TIMESTAMP '2026-11-01 00:00:00'";
        String week = "7 * 24 * 3600 * 1000";
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement()) {
            for (String view : new String[] {"card_txn_stats", "card_profile", "merchant_profile"}) {
                new java.io.File(root + "/offline/" + view).mkdirs();
            }
            sql.execute("SELECT setseed(0.42)");
            sql.execute("COPY (SELECT 'card-' || (i % " + cards + ") AS card_id,"
                    + " " + start + " + to_milliseconds(CAST(random() * " + week + " AS BIGINT)) AS event_timestamp,"
                    + " " + start + " AS created_timestamp,"
                    + " CAST(random() * 10 AS BIGINT) AS txn_count_10m, CAST(random() * 40 AS BIGINT) AS txn_count_1h,"
                    + " random() * 500 AS amount_sum_10m, random() * 2000 AS amount_sum_1h,"
                    + " random() * 100 AS amount_mean_1h, random() * 300 AS amount_max_1h"
                    + " FROM range(" + (cards * 20) + ") t(i)) TO '" + root + "/offline/card_txn_stats/data.parquet' (FORMAT parquet)");
            sql.execute("COPY (SELECT 'card-' || (i % " + cards + ") AS card_id,"
                    + " " + start + " + to_milliseconds(CAST(random() * " + week + " AS BIGINT)) AS event_timestamp,"
                    + " " + start + " AS created_timestamp,"
                    + " ['FR', 'DE', 'ES', 'IT'][1 + CAST(floor(random() * 4) AS INTEGER)] AS home_country,"
                    + " CAST(random() * 3000 AS BIGINT) AS card_age_days, random() < 0.2 AS is_premium"
                    + " FROM range(" + (cards * 2) + ") t(i)) TO '" + root + "/offline/card_profile/data.parquet' (FORMAT parquet)");
            sql.execute("COPY (SELECT 'merchant-' || (i % " + merchants + ") AS merchant_id,"
                    + " " + start + " + to_milliseconds(CAST(random() * " + week + " AS BIGINT)) AS event_timestamp,"
                    + " " + start + " AS created_timestamp,"
                    + " random() AS risk_score, 'retail' AS category, 'FR' AS country"
                    + " FROM range(" + (merchants * 10) + ") t(i)) TO '" + root + "/offline/merchant_profile/data.parquet' (FORMAT parquet)");
            sql.execute("COPY (SELECT 'card-' || CAST(floor(random() * " + cards + ") AS BIGINT) AS card_id,"
                    + " 'merchant-' || CAST(floor(random() * " + merchants + ") AS BIGINT) AS merchant_id,"
                    + " " + start + " + to_milliseconds(CAST(random() * " + week + " AS BIGINT)) AS event_timestamp"
                    + " FROM range(" + rows + ")) TO '" + root + "/entities.parquet' (FORMAT parquet)");
        }
        System.out.printf("wrote %,d entity rows; %,d card_txn_stats, %,d card_profile, %,d merchant_profile rows%n",
                rows, cards * 20, cards * 2, merchants * 10);
    }
}
