package dev.sextant.features.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.features.EventTimes;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.features.client.definition.FeatureView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each event of transactions.v1 read once, then judged by each view that uses it. */
class StreamViewPlanTest {

    private static final FeatureRepository REPOSITORY = FeatureRepositoryLoader.bundled();
    private static final FeatureView CARD = REPOSITORY.view("card_txn_stats").orElseThrow();
    private static final FeatureView MERCHANT =
            REPOSITORY.view("merchant_txn_stats").orElseThrow();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
    private static final EventTimes TIMES = new EventTimes(CLOCK, Duration.ofMinutes(5));
    private static final TopicParser PARSER = new TopicParser(Stream.of(CARD, MERCHANT)
            .flatMap(view -> StreamViewPlan.names(view).stream())
            .toList());
    private static final StreamViewPlan CARDS = new StreamViewPlan(CARD, TIMES, PARSER);
    private static final StreamViewPlan MERCHANTS = new StreamViewPlan(MERCHANT, TIMES, PARSER);

    @Test
    void oneReadServesEveryViewOfTheTopic() {
        TopicParser.Parsed parsed = parse(
                """
                {"transaction_id": "t-1", "card_id": "card-1", "merchant_id": "m-7", "amount": 42.5,
                 "extra": {"nested": [1, 2, {"amount": 1}]}, "event_time": "2026-11-22T11:59:00.250Z"}""");

        StreamViewPlan.Event card = CARDS.event(parsed);
        StreamViewPlan.Event merchant = MERCHANTS.event(parsed);

        assertThat(card.keyValues()).containsExactly("card-1");
        assertThat(card.entityKey()).isEqualTo("card-1");
        assertThat(card.timeMs())
                .isEqualTo(Instant.parse("2026-11-22T11:59:00.250Z").toEpochMilli());
        assertThat(card.values()).containsExactly(42.5);
        assertThat(merchant.keyValues()).containsExactly("m-7");
        assertThat(merchant.values()).containsExactly(42.5);
        assertThat(CARDS.event(parse("{\"card_id\": \"c\", \"amount\": 3, \"event_time\": 1795348800000}"))
                        .values())
                .containsExactly(3.0);
    }

    @Test
    void eachViewRejectsWhatItCannotUseAndNamesTheProblem() {
        TopicParser.Parsed noMerchant = parse("{\"card_id\": \"c\", \"amount\": 1, \"event_time\": 1795348800000}");
        assertThat(CARDS.event(noMerchant).keyValues()).containsExactly("c");
        assertRejected(MERCHANTS, noMerchant, "bad_key", "join key 'merchant_id' must be STRING, got null");

        assertRejected(
                CARDS,
                parse("{\"card_id\": \"c\", \"amount\": \"12\", \"event_time\": 1}"),
                "bad_field",
                "field 'amount' must be a finite number, got 12");
        assertRejected(
                CARDS,
                parse("{\"card_id\": \"c\", \"amount\": true, \"event_time\": 1}"),
                "bad_field",
                "field 'amount' must be a finite number, got true");
        assertRejected(
                CARDS,
                parse("{\"card_id\": \"\", \"amount\": 1, \"event_time\": 1}"),
                "bad_key",
                "join key 'card_id' must be STRING, got ");
        assertRejected(
                CARDS,
                parse("{\"card_id\": [\"c\"], \"amount\": 1, \"event_time\": 1}"),
                "bad_key",
                "join key 'card_id' must be STRING, got [");
        assertRejected(
                CARDS,
                parse("{\"card_id\": \"c\", \"amount\": 1, \"event_time\": \"yesterday\"}"),
                "bad_timestamp",
                "'event_time' must be ISO-8601 with an offset or epoch milliseconds, in the years 0001-9999, got yesterday");
        assertRejected(
                CARDS,
                parse("{\"card_id\": \"c\", \"amount\": 1, \"event_time\": \"2026-11-22T12:30:00Z\"}"),
                "future_timestamp",
                "'event_time' 2026-11-22T12:30:00Z is more than PT5M ahead of this clock");
    }

    @Test
    void whatIsNotOneJsonObjectIsRejectedByEveryView() {
        for (String text : List.of("[1]", "{\"card_id\": ", "{} {}", "not json")) {
            for (StreamViewPlan plan : List.of(CARDS, MERCHANTS)) {
                assertThatThrownBy(() -> plan.event(parse(text)))
                        .isInstanceOfSatisfying(
                                StreamViewPlan.RejectedEvent.class,
                                rejected -> assertThat(rejected.reason).isEqualTo("not_json"));
            }
        }
        assertThat(PARSER.parse(null).problem()).isEqualTo("no value");
    }

    private static TopicParser.Parsed parse(String json) {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRejected(StreamViewPlan plan, TopicParser.Parsed parsed, String reason, String message) {
        assertThatThrownBy(() -> plan.event(parsed))
                .isInstanceOfSatisfying(StreamViewPlan.RejectedEvent.class, rejected -> assertThat(rejected.reason)
                        .isEqualTo(reason))
                .hasMessage(message);
    }
}
