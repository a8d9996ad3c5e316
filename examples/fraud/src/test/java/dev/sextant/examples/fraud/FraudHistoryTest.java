package dev.sextant.examples.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.contracts.EventContracts;
import dev.sextant.examples.fraud.FraudWorld.Payment;
import dev.sextant.examples.fraud.FraudWorld.Regime;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The history is the world's own payments, its statistics are what the stream would have stored after each payment
 * (never including the payment about to be scored), and its labels are valid {@code labels.v1} records.
 */
class FraudHistoryTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final int PAYMENTS = 6_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void writesTheWorldsPaymentsWithTheStatisticsTheStreamWouldHaveStored(@TempDir Path folder) throws Exception {
        FraudWorld world = new FraudWorld(new FraudWorld.Settings(50, 20, 1, 3, "t"));
        List<Payment> payments = new ArrayList<>();
        Instant at = START;
        FraudWorld same = new FraudWorld(world.settings());
        for (int i = 0; i < PAYMENTS; i++) {
            Payment payment = same.next(at, Regime.BASELINE);
            payments.add(payment);
            at = payment.authorizedAt();
        }
        Path offline = folder.resolve("offline");
        try (FraudHistory history = new FraudHistory(world, Regime.BASELINE, START, PAYMENTS)) {
            history.writeOfflineStore(offline);
            history.writeLabelArchive(folder.resolve("labels"));
            assertThat(history.positiveRate())
                    .isCloseTo(payments.stream().filter(Payment::fraud).count() / (double) PAYMENTS, within(1e-12));
        }

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement()) {
            assertThat(count(sql, offline.resolve("card_profile"))).isEqualTo(50);
            assertThat(count(sql, offline.resolve("merchant_profile"))).isEqualTo(20);
            assertThat(count(sql, offline.resolve("merchant_txn_stats"))).isEqualTo(PAYMENTS);
            assertThat(count(sql, folder.resolve("labels"))).isEqualTo(PAYMENTS);
            // The card of the 5,000th payment: its statistics just after it cover its payments of the last hour.
            Payment payment = payments.get(5_000);
            List<Payment> lastHour = payments.stream()
                    .filter(p -> p.card().equals(payment.card()))
                    .filter(p -> !p.authorizedAt().isAfter(payment.authorizedAt()))
                    .filter(p -> p.authorizedAt().isAfter(payment.authorizedAt().minus(Duration.ofHours(1))))
                    .toList();
            try (ResultSet row = sql.executeQuery("SELECT txn_count_1h, amount_sum_1h, amount_max_1h,"
                    + " epoch_ms(event_timestamp) FROM read_parquet('" + offline.resolve("card_txn_stats/*.parquet")
                    + "') WHERE card_id = '" + payment.card().id() + "' AND epoch_ms(event_timestamp) = "
                    + (payment.authorizedAt().toEpochMilli() + 1))) {
                assertThat(row.next()).isTrue();
                assertThat(row.getLong(1)).isEqualTo(lastHour.size());
                assertThat(row.getDouble(2))
                        .isCloseTo(
                                lastHour.stream().mapToDouble(Payment::amount).sum(), within(1e-6));
                assertThat(row.getDouble(3))
                        .isEqualTo(lastHour.stream()
                                .mapToDouble(Payment::amount)
                                .max()
                                .orElseThrow());
            }
        }
    }

    @Test
    void paymentsFallWithinTheSpanAndTheirLabelsAreLabelsV1RecordsKnownAfterThem() throws Exception {
        try (FraudHistory history = FraudHistory.draw(2_000, 100, 10, START, Duration.ofDays(2))) {
            List<String> labels = history.labelEvents();
            assertThat(labels).hasSize(2_000);
            long previous = 0;
            for (String label : labels) {
                EventContracts.assertConforms("labels.v1", label);
                JsonNode record = JSON.readTree(label);
                long paid = record.get("event_time").longValue();
                Duration delay = Duration.between(
                        Instant.ofEpochMilli(paid),
                        Instant.parse(record.get("label_time").asString()));
                assertThat(paid).isGreaterThanOrEqualTo(previous);
                assertThat(Instant.ofEpochMilli(paid)).isBefore(START.plus(Duration.ofDays(2)));
                assertThat(delay).isBetween(Duration.ofHours(1), Duration.ofHours(73));
                previous = paid;
            }
        }
    }

    private static long count(Statement sql, Path view) throws SQLException {
        try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM read_parquet('" + view + "/*.parquet')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
