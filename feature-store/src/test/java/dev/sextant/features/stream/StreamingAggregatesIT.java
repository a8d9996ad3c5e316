package dev.sextant.features.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.contracts.EventContracts;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.features.client.online.FeatureStatus;
import dev.sextant.features.client.online.OnlineFeatureReader;
import dev.sextant.features.client.online.OnlineFeatures;
import dev.sextant.features.offline.HistoricalRequest;
import dev.sextant.features.offline.OfflineStore;
import dev.sextant.features.offline.TrainingSet;
import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.PoisonRecords;
import dev.sextant.testsupport.RedisServer;
import dev.sextant.testsupport.WithKafka;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The streaming aggregates end to end: transactions on a real Kafka broker, the Kafka Streams topology of the
 * feature store, a real Redis (dedicated, so it can be stopped) and the Parquet offline store. Every value is
 * checked against a brute-force computation of the windows from the same events. A partition's stream time only
 * moves forward, so each test has a feature store of its own reading a topic of its own (the example repository with
 * its stream views' topic renamed), and the tests stand alone and run in any order.
 */
@WithKafka
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
@SpringBootTest(
        properties = {
            "sextant.features.stream.enabled=true",
            "sextant.features.stream.online-flush-interval=50ms",
            "sextant.features.stream.online-retry=3s",
            "spring.kafka.streams.properties.commit.interval.ms=500",
            "spring.kafka.streams.properties.session.timeout.ms=6000",
        })
class StreamingAggregatesIT {

    private static final RedisServer REDIS = RedisServer.startDedicated();
    /** The topic of the running test's feature store: a new one for each. */
    private static volatile String topic;

    private static final List<String> STATS = List.of(
            "txn_count_10m", "txn_count_1h", "amount_sum_10m", "amount_sum_1h", "amount_mean_1h", "amount_max_1h");

    @Autowired
    OnlineFeatureReader reader;

    @Autowired
    OfflineStore offline;

    @Autowired
    StreamMetrics metrics;

    @Autowired
    MeterRegistry meters;

    private final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KafkaBroker.shared().bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class));

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) throws java.io.IOException {
        Path data = Files.createTempDirectory("feature-store-stream");
        topic = "transactions-" + UUID.randomUUID();
        Path repository = Files.createDirectories(data.resolve("feature-repo"));
        try (var example = StreamingAggregatesIT.class
                .getClassLoader()
                .getResourceAsStream(FeatureRepositoryLoader.CLASSPATH_LOCATION)) {
            String definitions = new String(example.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(definitions).contains("topic: transactions.v1");
            Files.writeString(
                    repository.resolve("fraud.yaml"), definitions.replace("topic: transactions.v1", "topic: " + topic));
        }
        registry.add("sextant.features.repository", repository::toString);
        registry.add("spring.data.redis.url", REDIS::url);
        registry.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
        registry.add("spring.kafka.streams.application-id", () -> "feature-store-it-" + UUID.randomUUID());
        registry.add(
                "spring.kafka.streams.state-dir", () -> data.resolve("streams").toString());
        registry.add(
                "sextant.features.offline.path", () -> data.resolve("offline").toString());
        registry.add("sextant.features.offline.training-sets-path", () -> data.resolve("training-sets")
                .toString());
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    record Txn(String card, String merchant, double amount, Instant time) {
        String json() {
            return "{\"transaction_id\":\"" + UUID.randomUUID() + "\",\"card_id\":\"" + card + "\",\"merchant_id\":\""
                    + merchant + "\",\"amount\":" + amount + ",\"currency\":\"EUR\",\"country\":\"FR\","
                    + "\"event_time\":\"" + time + "\"}";
        }
    }

    @Test
    void aBacklogAgesItsWindowsMinuteByMinuteAsLiveEventsWould() {
        String quiet = ids("card", 1).get(0);
        String busy = ids("card", 1).get(0);
        Instant start = Instant.now()
                .minus(Duration.ofMinutes(120))
                .truncatedTo(ChronoUnit.MINUTES)
                .plusSeconds(5);
        // A payment of now first, as the demo's example payments come before its history: the backlog after it is
        // behind the partition's time, and each card ages by its own events.
        String ahead = ids("card", 1).get(0);
        producer.send(new ProducerRecord<>(topic, 2, ahead, new Txn(ahead, "m-0", 1.0, Instant.now()).json()));
        // Read in one batch, as a backlog is: one payment of the quiet card, then one of another card every 2
        // minutes, and the quiet card's second payment 20 minutes after its first.
        producer.send(new ProducerRecord<>(topic, 2, quiet, new Txn(quiet, "m-0", 10.0, start).json()));
        for (int i = 1; i <= 13; i++) {
            Txn txn = new Txn(busy, "m-0", 1.0, start.plus(Duration.ofMinutes(2L * i)));
            producer.send(new ProducerRecord<>(topic, 2, busy, txn.json()));
            if (i == 10) {
                Txn second = new Txn(quiet, "m-0", 10.0, start.plus(Duration.ofMinutes(20)));
                producer.send(new ProducerRecord<>(topic, 2, quiet, second.json()));
            }
        }
        producer.flush();

        // Point in time, as training reads it: 5 minutes after its payment the quiet card still counts it in its
        // 10-minute window; 12.5 minutes after, no longer (the window emptied at minute 10, and that row is stamped
        // then), while its hour still counts it.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            TrainingSet set = offline.historical(new HistoricalRequest(
                    List.of("card_txn_stats:txn_count_10m", "card_txn_stats:txn_count_1h"),
                    List.of(
                            Map.of(
                                    "card_id",
                                    quiet,
                                    "event_timestamp",
                                    start.plus(Duration.ofMinutes(5)).toString()),
                            Map.of(
                                    "card_id",
                                    quiet,
                                    "event_timestamp",
                                    start.plusSeconds(750).toString())),
                    null));
            List<List<Long>> counts = new ArrayList<>();
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                    Statement statement = duck.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT card_txn_stats__txn_count_10m,"
                            + " card_txn_stats__txn_count_1h FROM read_parquet('" + set.path() + "')"
                            + " ORDER BY event_timestamp")) {
                while (rows.next()) {
                    counts.add(List.of(rows.getLong(1), rows.getLong(2)));
                }
            }
            assertThat(counts).containsExactly(List.of(1L, 1L), List.of(0L, 1L));
        });
    }

    @Test
    void onlineAndOfflineValuesAreTheWindowsOfTheEventsPerCardAndPerMerchant() throws Exception {
        Random random = new Random(7);
        List<String> cards = ids("card", 4);
        List<String> merchants = ids("merchant", 3);
        // About 42 minutes of events, ending some 18 minutes ago.
        Instant time = Instant.now().minus(Duration.ofMinutes(60)).truncatedTo(ChronoUnit.MILLIS);
        List<Txn> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            time = time.plusMillis(random.nextInt(25_000));
            Txn txn = new Txn(
                    cards.get(random.nextInt(cards.size())),
                    merchants.get(random.nextInt(merchants.size())),
                    Math.round(random.nextDouble() * 50_000) / 100.0,
                    time);
            sent.add(txn);
            producer.send(new ProducerRecord<>(topic, txn.card(), txn.json()));
        }
        producer.flush();

        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            for (String card : cards) {
                assertOnlineIsTheWindowsOf("card_txn_stats", "card_id", card, of(sent, txn -> txn.card()
                        .equals(card)));
            }
            for (String merchant : merchants) {
                assertOnlineIsTheWindowsOf("merchant_txn_stats", "merchant_id", merchant, of(sent, txn -> txn.merchant()
                        .equals(merchant)));
            }
        });
        assertThat(meters.get("sextant.features.stream.freshness")
                        .tag("view", "card_txn_stats")
                        .timer()
                        .count())
                .isPositive();

        // Offline: point-in-time retrieval at each transaction of a card gives the windows of the events before it,
        // as they stood just before the transaction's instant (its own event is not yet in them).
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            List<Map<String, Object>> entityRows = new ArrayList<>();
            for (Txn txn : sent) {
                entityRows.add(Map.of(
                        "card_id", txn.card(), "event_timestamp", txn.time().toString()));
            }
            TrainingSet set = offline.historical(new HistoricalRequest(
                    STATS.stream().map(name -> "card_txn_stats:" + name).toList(), entityRows, null));
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                    Statement statement = duck.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT card_id, epoch_ms(event_timestamp) AS at, "
                            + "card_txn_stats__txn_count_10m, card_txn_stats__amount_sum_1h FROM read_parquet('"
                            + set.path() + "')")) {
                int checked = 0;
                while (rows.next()) {
                    String card = rows.getString("card_id");
                    long at = rows.getLong("at");
                    List<Txn> before = of(
                            sent, txn -> txn.card().equals(card) && txn.time().toEpochMilli() < at);
                    Map<String, Object> expected = windows(before, at - 1);
                    if (before.isEmpty()) { // the card's first transaction: nothing was written before it
                        assertThat(rows.getObject("card_txn_stats__txn_count_10m"))
                                .isNull();
                        assertThat(rows.getObject("card_txn_stats__amount_sum_1h"))
                                .isNull();
                        checked++;
                        continue;
                    }
                    assertThat(rows.getLong("card_txn_stats__txn_count_10m"))
                            .as("10m count of %s at %s", card, at)
                            .isEqualTo(expected.get("txn_count_10m"));
                    assertThat(rows.getDouble("card_txn_stats__amount_sum_1h"))
                            .isCloseTo(
                                    (Double) expected.get("amount_sum_1h"), org.assertj.core.data.Offset.offset(1e-6));
                    checked++;
                }
                assertThat(checked).isEqualTo(sent.size());
            }
        });
    }

    @Test
    void windowsAgeWithStreamTimeSoAQuietCardCountsZeroInTheLastTenMinutes() {
        String quiet = ids("card", 1).get(0);
        String other = ids("card", 1).get(0);
        // In order on the partition: a late one would be stamped when it came.
        Instant then = Instant.now().minus(Duration.ofMinutes(15));
        send(0, new Txn(quiet, "m-1", 10.0, then));
        send(0, new Txn(other, "m-1", 20.0, Instant.now()));

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            OnlineFeatures features = read("card_txn_stats", "card_id", quiet);
            assertThat(features.column("card_txn_stats:txn_count_10m").values()).containsExactly(0L);
            assertThat(features.column("card_txn_stats:txn_count_1h").values()).containsExactly(1L);
            assertThat(features.column("card_txn_stats:amount_mean_1h").values())
                    .containsExactly(10.0);
            Instant at = features.column("card_txn_stats:txn_count_10m")
                    .eventTimestamps()
                    .get(0);
            // Emitted at the first minute of stream time swept after its 10-minute window emptied.
            assertThat(at)
                    .isAfter(then.plus(Duration.ofMinutes(9)))
                    .isBefore(Instant.now())
                    .isEqualTo(at.truncatedTo(ChronoUnit.MINUTES));
        });
    }

    @Test
    void lateEventsCountWithinTheLongestWindowAndBadOrTooLateOnesAreSkipped() {
        String card = ids("card", 1).get(0);
        Instant now = Instant.now();
        double tooLateBefore = counter("too_late");
        double rejectedBefore = counter("rejected_bad_field") + counter("rejected_not_json");
        send(1, new Txn(card, "m-2", 5.0, now.minus(Duration.ofMinutes(5))));
        send(1, new Txn(card, "m-2", 1000.0, now.minus(Duration.ofMinutes(70)))); // too late
        producer.send(new ProducerRecord<>(topic, 1, card, "not json"));
        producer.send(new ProducerRecord<>(
                topic,
                1,
                card,
                "{\"card_id\":\"" + card + "\",\"merchant_id\":\"m-2\"," + "\"event_time\":\"" + now + "\"}"));
        send(1, new Txn(card, "m-2", 7.0, now.minus(Duration.ofMinutes(8)))); // late, in both windows

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            OnlineFeatures features = read("card_txn_stats", "card_id", card);
            assertThat(features.column("card_txn_stats:txn_count_10m").values()).containsExactly(2L);
            assertThat(features.column("card_txn_stats:amount_sum_1h").values()).containsExactly(12.0);
            assertThat(features.column("card_txn_stats:amount_max_1h").values()).containsExactly(7.0);
        });
        assertThat(counter("too_late")).isEqualTo(tooLateBefore + 1);
        assertThat(counter("rejected_bad_field") + counter("rejected_not_json")).isEqualTo(rejectedBefore + 2);
    }

    @Test
    void anOnlineStoreOutageDelaysRowsAndLosesNone() throws Exception {
        String card = ids("card", 1).get(0);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        REDIS.stop();
        try {
            for (int i = 0; i < 5; i++) {
                send(2, new Txn(card, "m-3", 10.0 * (i + 1), now.minusSeconds(50 - i)));
            }
            // Both views read these events; whichever flushes first at the commit reports the outage and holds the
            // stream thread in its retries, so the other may never get to try before the thread is replaced.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
                            metrics.onlineFaults().keySet())
                    .containsAnyOf("card_txn_stats", "merchant_txn_stats"));
            Thread.sleep(4_000); // past the commit's retry bound: the stream thread is replaced and replays
        } finally {
            REDIS.start();
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            OnlineFeatures features = read("card_txn_stats", "card_id", card);
            assertThat(features.column("card_txn_stats:txn_count_10m").values()).containsExactly(5L);
            assertThat(features.column("card_txn_stats:amount_sum_10m").values())
                    .containsExactly(150.0);
        });
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(metrics.onlineFaults())
                .isEmpty());
    }

    /**
     * Fuzz: random and adversarial events through the real topology against a real broker. The stream thread
     * never fails on an event: each one a view cannot use lands on {@code transactions.v1.dead-letter} with the
     * reason and the view that gave up on it, and the good events that follow on the same partition are counted.
     */
    @Test
    void anEventAViewCannotUseIsDeadLetteredAndTheStreamMovesOn() throws Exception {
        String fuzzCard = ids("card", 1).get(0);
        String card = ids("card", 1).get(0);
        Instant now = Instant.now();
        String good = new Txn(fuzzCard, "m-fuzz", 5.0, now.minus(Duration.ofMinutes(1))).json();
        List<String> adversarial = new ArrayList<>(List.of(
                good.replaceFirst("\"event_time\":\"[^\"]+\"", "\"event_time\":\"+300000000-01-01T00:00:00Z\""),
                good.replaceFirst("\"event_time\":\"[^\"]+\"", "\"event_time\":\"-300000000-01-01T00:00:00Z\""),
                good.replaceFirst("\"event_time\":\"[^\"]+\"", "\"event_time\":-9223372036854775807"),
                good.replace("\"amount\":5.0", "\"amount\":1e400")));
        adversarial.addAll(PoisonRecords.junk());
        adversarial.add(null);
        List<String> fuzz = PoisonRecords.mutations(good, new java.util.Random(13), 300);
        List<Long> offsets = new ArrayList<>();
        for (String value : adversarial) {
            offsets.add(producer.send(new ProducerRecord<>(topic, 0, fuzzCard, value))
                    .get()
                    .offset());
        }
        for (String value : fuzz) {
            producer.send(new ProducerRecord<>(topic, 0, fuzzCard, value));
        }
        for (int i = 1; i <= 3; i++) {
            send(0, new Txn(card, "m-3", i, now.minus(Duration.ofSeconds(30 - i))));
        }

        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            OnlineFeatures features = read("card_txn_stats", "card_id", card);
            assertThat(features.column("card_txn_stats:txn_count_10m").values()).containsExactly(3L);
            assertThat(features.column("card_txn_stats:amount_sum_10m").values())
                    .containsExactly(6.0);
        });
        // the topic also holds the merchant view's dead letters: read until this view's letter of every adversarial
        // event has arrived
        java.util.Set<String> expected = new java.util.HashSet<>();
        offsets.forEach(offset -> expected.add(topic + "-0@" + offset));
        List<ConsumerRecord<String, String>> dead = KafkaBroker.shared()
                .awaitRecords(
                        topic + ".dead-letter",
                        records -> PoisonRecords.reasonsBySource(records, "feature-store card_txn_stats")
                                .keySet()
                                .containsAll(expected),
                        "card_txn_stats' dead letters of " + expected,
                        Duration.ofSeconds(30));
        Map<String, String> reasons = PoisonRecords.reasonsBySource(dead, "feature-store card_txn_stats");
        for (long offset : offsets) {
            assertThat(reasons).as("offset %d", offset).containsKey(topic + "-0@" + offset);
        }
        assertThat(reasons.get(topic + "-0@" + offsets.get(0))).contains("in the years 0001-9999");
    }

    private void assertOnlineIsTheWindowsOf(String view, String joinKey, String entity, List<Txn> events) {
        OnlineFeatures features = read(view, joinKey, entity);
        OnlineFeatures.Column first = features.column(view + ":" + STATS.get(0));
        assertThat(first.statuses()).containsExactly(FeatureStatus.PRESENT);
        long at = first.eventTimestamps().get(0).toEpochMilli();
        assertThat(at)
                .isGreaterThanOrEqualTo(events.get(events.size() - 1).time().toEpochMilli());
        Map<String, Object> expected = windows(events, at);
        for (String name : STATS) {
            Object actual = features.column(view + ":" + name).values().get(0);
            if (expected.get(name) instanceof Double number) {
                assertThat((Double) actual)
                        .as("%s of %s", name, entity)
                        .isCloseTo(number, org.assertj.core.data.Offset.offset(1e-6));
            } else {
                assertThat(actual).as("%s of %s", name, entity).isEqualTo(expected.get(name));
            }
        }
    }

    /** The brute force: every window at {@code atMs} from the events themselves, minute buckets aligned. */
    private static Map<String, Object> windows(List<Txn> events, long atMs) {
        Map<String, Object> values = new HashMap<>();
        for (int minutes : new int[] {10, 60}) {
            long last = Math.floorDiv(atMs, 60_000L);
            List<Double> amounts = new ArrayList<>();
            for (Txn txn : events) {
                long minute = Math.floorDiv(txn.time().toEpochMilli(), 60_000L);
                if (minute > last - minutes && minute <= last) {
                    amounts.add(txn.amount());
                }
            }
            String suffix = minutes == 10 ? "_10m" : "_1h";
            double sum = amounts.stream().mapToDouble(Double::doubleValue).sum();
            values.put("txn_count" + suffix, (long) amounts.size());
            values.put("amount_sum" + suffix, sum);
            if (minutes == 60) {
                values.put("amount_mean_1h", amounts.isEmpty() ? null : sum / amounts.size());
                values.put(
                        "amount_max_1h",
                        amounts.stream().mapToDouble(Double::doubleValue).max().stream()
                                .boxed()
                                .findFirst()
                                .orElse(null));
            }
        }
        return values;
    }

    private OnlineFeatures read(String view, String joinKey, String entity) {
        return reader.read(STATS.stream().map(name -> view + ":" + name).toList(), Map.of(joinKey, List.of(entity)));
    }

    /** A payment as the contract of {@code transactions.v1} has it (the bad ones are sent as such, not with this). */
    private void send(int partition, Txn txn) {
        String value = txn.json();
        EventContracts.assertConforms("transactions.v1", value);
        producer.send(new ProducerRecord<>(topic, partition, txn.card(), value));
        producer.flush();
    }

    private double counter(String outcome) {
        var counter = meters.find("sextant.features.stream.events")
                .tag("view", "card_txn_stats")
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + "-" + UUID.randomUUID());
        }
        return ids;
    }

    private static List<Txn> of(List<Txn> events, java.util.function.Predicate<Txn> filter) {
        return events.stream().filter(filter).toList();
    }
}
