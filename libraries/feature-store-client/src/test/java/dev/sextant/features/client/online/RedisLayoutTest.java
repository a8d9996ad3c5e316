package dev.sextant.features.client.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.features.client.definition.Entity;
import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisLayoutTest {

    private static final Entity CARD = new Entity("card", null, List.of(new JoinKey("card_id", ValueType.STRING)));
    private static final Entity MERCHANT =
            new Entity("merchant", null, List.of(new JoinKey("merchant_id", ValueType.INT64)));
    private static final FeatureView PAIR = new FeatureView(
            "pair",
            null,
            List.of(CARD, MERCHANT),
            List.of(
                    new Feature("count", ValueType.INT64), new Feature("mean", ValueType.FLOAT64),
                    new Feature("flag", ValueType.BOOL), new Feature("country", ValueType.STRING)),
            Duration.ofHours(2),
            FeatureView.Source.PUSH);

    @Test
    void keysJoinTheJoinKeyValuesInDefinitionOrderAndEscapeSeparators() {
        assertThat(RedisLayout.key(PAIR, List.of("card-1", 42L))).isEqualTo("sx:fv:pair:card-1:42");
        assertThat(RedisLayout.key(PAIR, List.of("a:b%c", 7L))).isEqualTo("sx:fv:pair:a%3Ab%25c:7");
        for (List<Object> values : List.<List<Object>>of(
                List.of("card-1", 42L), List.of("a:b%c", -7L), List.of("%3A:%25", 0L), List.of("", 1L))) {
            assertThat(RedisLayout.keyValues(PAIR, RedisLayout.key(PAIR, values)))
                    .isEqualTo(values);
        }
    }

    @Test
    void everyTypeRoundTripsExactly() {
        assertRoundTrip(ValueType.INT64, Long.MIN_VALUE);
        assertRoundTrip(ValueType.FLOAT64, 0.1 + 0.2);
        assertRoundTrip(ValueType.FLOAT64, -0.0);
        assertRoundTrip(ValueType.FLOAT64, Double.MIN_VALUE);
        assertRoundTrip(ValueType.BOOL, true);
        assertRoundTrip(ValueType.BOOL, false);
        assertRoundTrip(ValueType.STRING, "");
        assertRoundTrip(ValueType.STRING, "n:é\u0000x");
        assertRoundTrip(ValueType.STRING, null);
    }

    @Test
    void storedValuesAreTaggedSoNullIsDistinctFromEmptyText() {
        assertThat(RedisLayout.encode(ValueType.INT64, 5)).isEqualTo("i5");
        assertThat(RedisLayout.encode(ValueType.FLOAT64, 42.48)).isEqualTo("x40453d70a3d70a3d");
        assertThat(RedisLayout.encode(ValueType.STRING, "")).isEqualTo("s");
        assertThat(RedisLayout.encode(ValueType.STRING, null)).isEqualTo("n");
    }

    @Test
    void float64IsTheHexOfItsBitsAsLongToHexStringWritesIt() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        List<Double> values = new java.util.ArrayList<>(List.of(0.0, -0.0, 1.0, -1.5, Double.MAX_VALUE, 1e-300));
        for (int i = 0; i < 1000; i++) {
            values.add(Double.longBitsToDouble(random.nextLong()));
        }
        for (double value : values) {
            assertThat(RedisLayout.encode(ValueType.FLOAT64, value))
                    .isEqualTo("x" + Long.toHexString(Double.doubleToRawLongBits(value)));
        }
    }

    @Test
    void writeArgumentsCarryEventTimeExpiryAndEveryFeatureWithAbsentOnesAsNull() {
        Instant eventTime = Instant.parse("2026-11-22T12:00:00Z");
        List<String> arguments = RedisLayout.writeArguments(
                        FeatureRow.checked(
                                PAIR,
                                0,
                                Map.of("card_id", "c", "merchant_id", 1L),
                                eventTime,
                                Map.of("count", 3L, "flag", true)),
                        Duration.ofMinutes(1))
                .stream()
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .toList();
        assertThat(arguments)
                .containsExactly(
                        Long.toString(eventTime.toEpochMilli()),
                        Long.toString(eventTime
                                .plus(Duration.ofHours(2))
                                .plusSeconds(60)
                                .toEpochMilli()),
                        "4",
                        "count",
                        "i3",
                        "mean",
                        "n",
                        "flag",
                        "b1",
                        "country",
                        "n");
    }

    private static void assertRoundTrip(ValueType type, Object value) {
        assertThat(RedisLayout.decode(type, RedisLayout.encode(type, value))).isEqualTo(value);
    }
}
