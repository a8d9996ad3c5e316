package dev.sextant.features.client.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.testsupport.RedisServer;
import dev.sextant.testsupport.WithRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The online store's layout, writer and reader against a real Redis server. */
@WithRedis
class OnlineStoreIT {

    static final FeatureRepository REPOSITORY =
            FeatureRepositoryLoader.load(Path.of("src/test/resources/feature-repo"));
    /**
     * The readers' fixed clock: the wall clock when the test starts, since Redis expires keys by its own clock
     * (a fixed date here would make every row written relative to it expire, or not, by the day the test runs).
     */
    static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    static OnlineStoreConnection store;
    static OnlineFeatureWriter writer;
    static OnlineFeatureReader reader;

    @BeforeAll
    static void connect(RedisServer redis) {
        store = new OnlineStoreConnection(redis.url(), TIMEOUT);
        writer = new OnlineFeatureWriter(store, TIMEOUT, Duration.ofHours(1));
        reader = new OnlineFeatureReader(REPOSITORY, store, TIMEOUT, 1000, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    static FeatureView view(String name) {
        return REPOSITORY.view(name).orElseThrow();
    }

    static String card() {
        return "card-" + UUID.randomUUID();
    }

    @Test
    void answersEveryStatusColumnWiseWithEventTimestamps() {
        String fresh = card();
        String stale = card();
        String nulls = card();
        String missing = card();
        writer.write(
                view("card_stats"),
                List.of(
                        row(
                                fresh,
                                NOW.minusSeconds(60),
                                Map.of(
                                        "txn_count_10m",
                                        3,
                                        "amount_mean_1h",
                                        42.5,
                                        "home_country",
                                        "FR",
                                        "is_premium",
                                        true)),
                        row(stale, NOW.minus(Duration.ofMinutes(90)), Map.of("txn_count_10m", 9)),
                        row(nulls, NOW.minusSeconds(1), Map.of())));

        OnlineFeatures result = reader.read(
                List.of("card_stats:txn_count_10m", "card_stats:home_country", "card_stats:is_premium"),
                Map.of("card_id", List.of(fresh, stale, nulls, missing)));

        assertThat(result.featureNames())
                .containsExactly(
                        "card_id", "card_stats:txn_count_10m", "card_stats:home_country", "card_stats:is_premium");
        assertThat(result.column("card_id").values()).containsExactly(fresh, stale, nulls, missing);
        OnlineFeatures.Column count = result.column("card_stats:txn_count_10m");
        assertThat(count.values()).containsExactly(3L, null, null, null);
        assertThat(count.statuses())
                .containsExactly(
                        FeatureStatus.PRESENT,
                        FeatureStatus.OUTSIDE_MAX_AGE,
                        FeatureStatus.NULL_VALUE,
                        FeatureStatus.NOT_FOUND);
        assertThat(count.eventTimestamps())
                .containsExactly(NOW.minusSeconds(60), NOW.minus(Duration.ofMinutes(90)), NOW.minusSeconds(1), null);
        assertThat(result.column("card_stats:home_country").values().get(0)).isEqualTo("FR");
        assertThat(result.column("card_stats:is_premium").values().get(0)).isEqualTo(true);
    }

    @Test
    void anOlderEventNeverOverwritesANewerOne() {
        String card = card();
        assertThat(writer.write(
                        view("card_stats"), List.of(row(card, NOW.minusSeconds(10), Map.of("txn_count_10m", 7)))))
                .isEqualTo(new OnlineFeatureWriter.WriteResult(1, 0));
        assertThat(writer.write(
                        view("card_stats"), List.of(row(card, NOW.minusSeconds(20), Map.of("txn_count_10m", 1)))))
                .isEqualTo(new OnlineFeatureWriter.WriteResult(0, 1));

        OnlineFeatures.Column count = reader.read(List.of("card_stats:txn_count_10m"), Map.of("card_id", List.of(card)))
                .column("card_stats:txn_count_10m");
        assertThat(count.values()).containsExactly(7L);
        assertThat(count.eventTimestamps()).containsExactly(NOW.minusSeconds(10));

        // Rows of one script call are judged one by one: the older row in the middle is skipped, not the call.
        String other = card();
        assertThat(writer.write(
                        view("card_stats"),
                        List.of(
                                row(other, NOW.minusSeconds(30), Map.of("txn_count_10m", 1)),
                                row(card, NOW.minusSeconds(15), Map.of("txn_count_10m", 2)),
                                row(other, NOW.minusSeconds(5), Map.of("txn_count_10m", 3)))))
                .isEqualTo(new OnlineFeatureWriter.WriteResult(2, 1));
        assertThat(reader.read(List.of("card_stats:txn_count_10m"), Map.of("card_id", List.of(card, other)))
                        .column("card_stats:txn_count_10m")
                        .values())
                .containsExactly(7L, 3L);
    }

    @Test
    void redisExpiresRowsAtEventTimePlusTtlPlusGrace(RedisServer redis) throws InterruptedException {
        // a grace long enough for the value to be read on a loaded machine, short enough to see it expire
        Duration grace = Duration.ofSeconds(3);
        OnlineFeatureWriter shortGrace = new OnlineFeatureWriter(store, TIMEOUT, grace);
        String card = card();
        Instant written = Instant.now();
        shortGrace.write(
                view("card_merchant"),
                List.of(FeatureRow.checked(
                        view("card_merchant"),
                        0,
                        Map.of("card_id", card, "merchant_id", 7L),
                        written,
                        Map.of("txn_count_1d", 2))));
        String key = RedisLayout.key(view("card_merchant"), List.of(card, 7L));
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            long expectedRemaining = written.toEpochMilli() + 2000 + grace.toMillis() - System.currentTimeMillis();
            assertThat(raw.sync().pttl(key)).isBetween(expectedRemaining - 500, expectedRemaining);
            assertThat(raw.sync().hget(key, "txn_count_1d")).isEqualTo("i2");
            Thread.sleep(Duration.between(Instant.now(), written.plusMillis(2000 + grace.toMillis() + 300))
                    .toMillis());
            assertThat(raw.sync().exists(key)).isZero();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void viewsWithoutTtlNeverExpire() {
        long merchant = Math.abs(UUID.randomUUID().getMostSignificantBits());
        writer.write(
                view("merchant_risk"),
                List.of(FeatureRow.checked(
                        view("merchant_risk"),
                        0,
                        Map.of("merchant_id", merchant),
                        Instant.parse("2001-01-01T00:00:00Z"),
                        Map.of("risk_score", 0.25))));

        OnlineFeatures.Column risk = reader.read(
                        List.of("merchant_risk:risk_score"), Map.of("merchant_id", List.of(merchant)))
                .column("merchant_risk:risk_score");
        assertThat(risk.values()).containsExactly(0.25);
        assertThat(risk.statuses()).containsExactly(FeatureStatus.PRESENT);
    }

    @Test
    void readsSeveralViewsAndCompositeKeysForManyEntitiesInOneCall() {
        int rows = 500;
        List<FeatureRow> cardRows = new ArrayList<>();
        List<FeatureRow> pairRows = new ArrayList<>();
        List<Object> cards = new ArrayList<>();
        List<Object> merchants = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String card = "multi:" + i + ":" + UUID.randomUUID();
            cards.add(card);
            merchants.add((long) i);
            cardRows.add(row(card, NOW.minusSeconds(5), Map.of("txn_count_10m", i)));
            pairRows.add(FeatureRow.checked(
                    view("card_merchant"),
                    i,
                    Map.of("card_id", card, "merchant_id", (long) i),
                    NOW.minusSeconds(1),
                    Map.of("txn_count_1d", i * 2)));
        }
        writer.write(view("card_stats"), cardRows);
        writer.write(view("card_merchant"), pairRows);

        Map<String, List<Object>> entities = new HashMap<>();
        entities.put("card_id", cards);
        entities.put("merchant_id", merchants);
        OnlineFeatures result =
                reader.read(List.of("card_merchant:txn_count_1d", "card_stats:txn_count_10m"), entities);

        assertThat(result.featureNames())
                .containsExactly("card_id", "merchant_id", "card_merchant:txn_count_1d", "card_stats:txn_count_10m");
        for (int i = 0; i < rows; i++) {
            assertThat(result.column("card_stats:txn_count_10m").values().get(i))
                    .isEqualTo((long) i);
            assertThat(result.column("card_merchant:txn_count_1d").values().get(i))
                    .isEqualTo((long) i * 2);
        }
    }

    @Test
    void aBadRequestNamesTheProblem() {
        Map<String, List<Object>> cards = Map.of("card_id", List.of("c1"));
        expectInvalid(List.of("nope:x"), cards, "unknown feature view 'nope'");
        expectInvalid(List.of("card_stats:nope"), cards, "feature view 'card_stats' has no feature 'nope'");
        expectInvalid(List.of("card_stats"), cards, "is not 'view:feature'");
        expectInvalid(List.of("card_stats:txn_count_10m"), Map.of("merchant_id", List.of(1)), "join key 'merchant_id'");
        expectInvalid(List.of("card_stats:txn_count_10m"), Map.of("card_id", List.of(42)), "expects text");
        expectInvalid(List.of("merchant_risk:risk_score"), Map.of("merchant_id", List.of("x")), "expects an integer");
        expectInvalid(
                List.of("card_merchant:txn_count_1d"),
                Map.of("card_id", List.of("a", "b"), "merchant_id", List.of(1)),
                "same length");
        expectInvalid(
                List.of("card_stats:txn_count_10m"),
                Map.of("card_id", java.util.Collections.nCopies(1001, "c")),
                "at most 1000 entity rows");
        assertThatThrownBy(
                        () -> writer.write(view("card_stats"), List.of(row("c", NOW, Map.of("txn_count_10m", "many")))))
                .isInstanceOf(InvalidFeatureRequestException.class)
                .hasMessage("rows[0].txn_count_10m must be INT64, got 'many'");
    }

    @Test
    void aStoppedRedisIsReportedAtOnceAndReadsResumeWhenItReturns() {
        try (RedisServer redis = RedisServer.startDedicated();
                OnlineStoreConnection connection = new OnlineStoreConnection(redis.url(), Duration.ofMillis(500))) {
            OnlineFeatureWriter dedicatedWriter = new OnlineFeatureWriter(connection, TIMEOUT, Duration.ofHours(1));
            OnlineFeatureReader dedicatedReader =
                    new OnlineFeatureReader(REPOSITORY, connection, TIMEOUT, 10, Clock.fixed(NOW, ZoneOffset.UTC));
            dedicatedWriter.write(view("card_stats"), List.of(row("c1", NOW, Map.of("txn_count_10m", 1))));

            redis.stop();
            long started = System.nanoTime();
            assertThatThrownBy(() ->
                            dedicatedReader.read(List.of("card_stats:txn_count_10m"), Map.of("card_id", List.of("c1"))))
                    .isInstanceOf(OnlineStoreUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

            redis.start();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> dedicatedWriter
                                    .write(view("card_stats"), List.of(row("c1", NOW, Map.of("txn_count_10m", 2))))
                                    .written()
                            == 1);
            assertThat(dedicatedReader
                            .read(List.of("card_stats:txn_count_10m"), Map.of("card_id", List.of("c1")))
                            .column("card_stats:txn_count_10m")
                            .values())
                    .containsExactly(2L);
        }
    }

    private static void expectInvalid(List<String> features, Map<String, List<Object>> entities, String message) {
        assertThatThrownBy(() -> reader.read(features, entities))
                .isInstanceOf(InvalidFeatureRequestException.class)
                .hasMessageContaining(message);
    }

    private static FeatureRow row(String card, Instant eventTime, Map<String, Object> values) {
        return FeatureRow.checked(view("card_stats"), 0, Map.of("card_id", card), eventTime, values);
    }
}
