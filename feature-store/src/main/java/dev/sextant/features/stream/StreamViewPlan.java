package dev.sextant.features.stream;

import dev.sextant.features.EventTimes;
import dev.sextant.features.client.definition.Aggregation;
import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.online.FeatureRow;
import dev.sextant.features.client.online.RedisLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How one stream view turns events into rows: which event fields it reads, and each feature's function and
 * window over a {@link WindowState}. Compiled once from the definition.
 */
final class StreamViewPlan {

    /** An event the view cannot use; {@code reason} is a metric tag, {@code detail} the log message. */
    static final class RejectedEvent extends RuntimeException {
        final String reason;

        RejectedEvent(String reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    /**
     * A parsed event: the entity's join key values (view order), its key (the online key without the view's
     * prefix: shorter keys compare faster in the sorted state stores), time and numeric fields.
     */
    record Event(List<Object> keyValues, String entityKey, long timeMs, double[] values) {

        /**
         * Events between the parsing step and a repartitioned view's aggregator: compact binary, parsed once.
         */
        static Serde<Event> serde() {
            Serializer<Event> serializer = (topic, event) -> {
                byte[] key = event.entityKey().getBytes(StandardCharsets.UTF_8);
                List<byte[]> texts = new ArrayList<>();
                int size = 4 + key.length + 4 + 8 + 4 + 8 * event.values().length;
                for (Object value : event.keyValues()) {
                    byte[] text = value instanceof String string ? string.getBytes(StandardCharsets.UTF_8) : null;
                    texts.add(text);
                    size += 1 + (text == null ? 8 : 4 + text.length);
                }
                ByteBuffer buffer = ByteBuffer.allocate(size);
                buffer.putInt(key.length).put(key).putInt(texts.size());
                for (int i = 0; i < texts.size(); i++) {
                    if (texts.get(i) == null) {
                        buffer.put((byte) 'i').putLong((Long) event.keyValues().get(i));
                    } else {
                        buffer.put((byte) 's').putInt(texts.get(i).length).put(texts.get(i));
                    }
                }
                buffer.putLong(event.timeMs()).putInt(event.values().length);
                for (double value : event.values()) {
                    buffer.putDouble(value);
                }
                return buffer.array();
            };
            Deserializer<Event> deserializer = (topic, bytes) -> {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                String key = text(buffer);
                int keyCount = buffer.getInt();
                Object[] keyValues = new Object[keyCount];
                for (int i = 0; i < keyCount; i++) {
                    keyValues[i] = buffer.get() == 'i' ? (Object) buffer.getLong() : text(buffer);
                }
                long time = buffer.getLong();
                double[] values = new double[buffer.getInt()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = buffer.getDouble();
                }
                return new Event(Arrays.asList(keyValues), key, time, values);
            };
            return Serdes.serdeFrom(serializer, deserializer);
        }

        private static String text(ByteBuffer buffer) {
            byte[] text = new byte[buffer.getInt()];
            buffer.get(text);
            return new String(text, StandardCharsets.UTF_8);
        }
    }

    private record Column(String name, Aggregation.Function function, int field, int windowMinutes) {}

    private final FeatureView view;
    private final EventTimes times;
    private final String timestampField;
    private final List<String> fields = new ArrayList<>();
    private final List<Column> columns = new ArrayList<>();
    private final int longestWindowMinutes;
    private final int[] windowLengths;
    private final String keyPrefix;
    /** Where the parser of the view's topic puts the join keys, fields and timestamp. */
    private final int[] keySlots;

    private final int[] fieldSlots;
    private final int timestampSlot;

    StreamViewPlan(FeatureView view, EventTimes times, TopicParser parser) {
        this.view = view;
        this.times = times;
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
        this.windowLengths =
                columns.stream().mapToInt(Column::windowMinutes).distinct().toArray();
        this.keyPrefix = RedisLayout.keyPrefix(view);
        this.keySlots = view.joinKeys().stream()
                .mapToInt(key -> parser.slot(key.name()))
                .toArray();
        this.fieldSlots = fields.stream().mapToInt(parser::slot).toArray();
        this.timestampSlot = parser.slot(timestampField);
    }

    FeatureView view() {
        return view;
    }

    int fieldCount() {
        return fields.size();
    }

    /** The distinct window lengths of the view's features, in minutes. */
    int[] windowLengths() {
        return windowLengths;
    }

    int longestWindowMinutes() {
        return longestWindowMinutes;
    }

    /** The join key values of an entity key made by {@link #parse}. */
    List<Object> keyValues(String entityKey) {
        return RedisLayout.keyValues(view, keyPrefix + entityKey);
    }

    /** The event fields a view reads: its join keys, the fields it aggregates and its timestamp field. */
    static List<String> names(FeatureView view) {
        List<String> names = new ArrayList<>();
        view.joinKeys().forEach(key -> names.add(key.name()));
        for (Feature feature : view.features()) {
            if (feature.aggregation().field() != null) {
                names.add(feature.aggregation().field());
            }
        }
        names.add(view.stream().timestampField());
        return names;
    }

    /**
     * The view's event from an event of its topic read by {@code parser}: join keys of their types, fields finite
     * numbers, the time ISO-8601 with an offset or epoch milliseconds and not ahead of the clock by more than
     * {@link EventTimes#skew()}; otherwise a {@link RejectedEvent} naming the problem.
     */
    Event event(TopicParser.Parsed parsed) {
        if (parsed.problem() != null) {
            throw new RejectedEvent("not_json", parsed.problem());
        }
        Object[] read = parsed.values();
        List<JoinKey> joinKeys = view.joinKeys();
        Object[] keys = new Object[joinKeys.size()];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = keyValue(joinKeys.get(k), read[keySlots[k]]);
        }
        double[] values = new double[fields.size()];
        for (int f = 0; f < values.length; f++) {
            Object value = read[fieldSlots[f]];
            if (!(value instanceof Long || value instanceof Double)
                    || !Double.isFinite(((Number) value).doubleValue())) {
                throw new RejectedEvent(
                        "bad_field", "field '" + fields.get(f) + "' must be a finite number, got " + value);
            }
            values[f] = ((Number) value).doubleValue();
        }
        List<Object> keyValues = Arrays.asList(keys);
        return new Event(
                keyValues,
                RedisLayout.key(view, keyValues).substring(keyPrefix.length()),
                time(read[timestampSlot]),
                values);
    }

    private static Object keyValue(JoinKey joinKey, Object value) {
        if (joinKey.type() == ValueType.INT64 && value instanceof Long) {
            return value;
        }
        if (joinKey.type() == ValueType.STRING && value instanceof String text && !text.isEmpty()) {
            return value;
        }
        throw new RejectedEvent(
                "bad_key", "join key '" + joinKey.name() + "' must be " + joinKey.type() + ", got " + value);
    }

    private long time(Object value) {
        long time = parseTime(value);
        if (times.tooFarAhead(time)) {
            throw new RejectedEvent(
                    "future_timestamp",
                    "'" + timestampField + "' " + value + " is more than " + times.skew() + " ahead of this clock");
        }
        return time;
    }

    private long parseTime(Object value) {
        long millis = IsoInstants.NOT_ISO;
        if (value instanceof Long number) {
            millis = number;
        } else if (value instanceof String text) {
            millis = IsoInstants.epochMillis(text);
        }
        if (!EventTimes.inYears(millis)) {
            throw new RejectedEvent(
                    "bad_timestamp",
                    "'" + timestampField + "' must be ISO-8601 with an offset or epoch milliseconds, in the years"
                            + " 0001-9999, got " + value);
        }
        return millis;
    }

    /** The view's row for an entity as of {@code atMs}, with its {@link #values} at that time. */
    FeatureRow row(List<Object> keyValues, long atMs, Object[] values) {
        return FeatureRow.of(view, keyValues, atMs, values);
    }

    /** Every feature over its window ending in the minute of {@code atMs}, in the view's feature order. */
    Object[] values(WindowState state, long atMs) {
        long minute = WindowState.minute(atMs);
        Object[] values = new Object[columns.size()];
        for (int c = 0; c < values.length; c++) {
            Column column = columns.get(c);
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
            values[c] = value;
        }
        return values;
    }

    private static Double nullIfNaN(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
