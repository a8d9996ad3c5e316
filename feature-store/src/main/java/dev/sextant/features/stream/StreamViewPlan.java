package dev.sextant.features.stream;

import dev.sextant.features.client.definition.Aggregation;
import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.online.FeatureRow;
import dev.sextant.features.client.online.RedisLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How one stream view turns events into rows: which event fields it reads, and each feature's function and
 * window over a {@link WindowState}. Compiled once from the definition.
 */
final class StreamViewPlan {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An event the view cannot use; {@code reason} is a metric tag, {@code detail} the log message. */
    static final class RejectedEvent extends RuntimeException {
        final String reason;

        RejectedEvent(String reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    /** A parsed event: the entity's join key values (view order), its key, time and numeric fields. */
    record Event(List<Object> keyValues, String entityKey, long timeMs, double[] values) {}

    private record Column(String name, Aggregation.Function function, int field, int windowMinutes) {}

    /** How far past the wall clock an event time may be (producers' clocks drift); later ones are rejected. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final FeatureView view;
    private final Clock clock;
    private final String timestampField;
    private final List<String> fields = new ArrayList<>();
    private final List<Column> columns = new ArrayList<>();
    private final int longestWindowMinutes;

    StreamViewPlan(FeatureView view, Clock clock) {
        this.view = view;
        this.clock = clock;
        this.timestampField = view.stream().timestampField();
        int longest = 0;
        for (Feature feature : view.features()) {
            Aggregation aggregation = feature.aggregation();
            int field = -1;
            if (aggregation.field() != null) {
                field = fields.indexOf(aggregation.field());
                if (field < 0) {
                    fields.add(aggregation.field());
                    field = fields.size() - 1;
                }
            }
            columns.add(new Column(feature.name(), aggregation.function(), field, aggregation.windowMinutes()));
            longest = Math.max(longest, aggregation.windowMinutes());
        }
        this.longestWindowMinutes = longest;
    }

    FeatureView view() {
        return view;
    }

    int fieldCount() {
        return fields.size();
    }

    int longestWindowMinutes() {
        return longestWindowMinutes;
    }

    /** The entity key of an event (the online store's key), for repartitioning; rejects what it cannot use. */
    String entityKey(String json) {
        return parse(json).entityKey();
    }

    Event parse(String json) {
        JsonNode event;
        try {
            event = json == null ? null : JSON.readTree(json);
        } catch (JacksonException e) {
            throw new RejectedEvent("not_json", "not JSON: " + e.getOriginalMessage());
        }
        if (event == null || !event.isObject()) {
            throw new RejectedEvent("not_json", "not a JSON object");
        }
        List<Object> keyValues = new ArrayList<>(view.joinKeys().size());
        for (JoinKey joinKey : view.joinKeys()) {
            JsonNode value = event.get(joinKey.name());
            boolean fits = joinKey.type() == ValueType.INT64
                    ? value != null && value.isIntegralNumber()
                    : value != null && value.isString() && !value.asString().isEmpty();
            if (!fits) {
                throw new RejectedEvent(
                        "bad_key", "join key '" + joinKey.name() + "' must be " + joinKey.type() + ", got " + value);
            }
            keyValues.add(joinKey.type() == ValueType.INT64 ? (Object) value.asLong() : value.asString());
        }
        double[] values = new double[fields.size()];
        for (int f = 0; f < values.length; f++) {
            JsonNode value = event.get(fields.get(f));
            if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw new RejectedEvent(
                        "bad_field", "field '" + fields.get(f) + "' must be a finite number, got " + value);
            }
            values[f] = value.asDouble();
        }
        return new Event(keyValues, RedisLayout.key(view, keyValues), time(event.get(timestampField)), values);
    }

    private long time(JsonNode value) {
        long time = parseTime(value);
        if (time > clock.millis() + CLOCK_SKEW.toMillis()) {
            throw new RejectedEvent(
                    "future_timestamp",
                    "'" + timestampField + "' " + value + " is more than " + CLOCK_SKEW + " ahead of this clock");
        }
        return time;
    }

    private long parseTime(JsonNode value) {
        if (value != null && value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value != null && value.isString()) {
            try {
                return OffsetDateTime.parse(value.asString()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new RejectedEvent(
                "bad_timestamp",
                "'" + timestampField + "' must be ISO-8601 with an offset or epoch milliseconds, got " + value);
    }

    /** The view's row for an entity as of {@code atMs}: every feature over its window ending in that minute. */
    FeatureRow row(List<Object> keyValues, WindowState state, long atMs) {
        Map<String, Object> keys = new HashMap<>();
        for (int i = 0; i < keyValues.size(); i++) {
            keys.put(view.joinKeys().get(i).name(), keyValues.get(i));
        }
        return new FeatureRow(keys, Instant.ofEpochMilli(atMs), values(state, atMs));
    }

    Map<String, Object> values(WindowState state, long atMs) {
        long minute = WindowState.minute(atMs);
        Map<String, Object> values = new HashMap<>();
        for (Column column : columns) {
            int window = column.windowMinutes();
            Object value =
                    switch (column.function()) {
                        case COUNT -> state.count(minute, window);
                        case SUM -> state.sum(minute, window, column.field());
                        case MEAN -> {
                            long count = state.count(minute, window);
                            yield count == 0 ? null : state.sum(minute, window, column.field()) / count;
                        }
                        case MIN -> nullIfNaN(state.extreme(minute, window, column.field(), false));
                        case MAX -> nullIfNaN(state.extreme(minute, window, column.field(), true));
                    };
            values.put(column.name(), value);
        }
        return values;
    }

    private static Double nullIfNaN(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
