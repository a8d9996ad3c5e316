package dev.sextant.features.stream;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads each event of a topic once for all the stream views that use the topic: one pass of Jackson's streaming
 * parser over the event's UTF-8 bytes (no String, no tree), keeping the values of the names any of those views
 * reads and skipping the rest. Each view then takes its join keys, fields and time from the result and judges
 * them by its own rules ({@link StreamViewPlan#event}), so a field only one view needs rejects the event for that
 * view alone.
 */
final class TopicParser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A value that is neither a number nor a string (a boolean, null, an object, an array), as text. */
    record Other(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * One event: the value of each read name by its slot (Long for an integer that fits, Double for other
     * numbers, String, {@link Other}, or null when absent), or the reason it is not one JSON object; and its bytes
     * as they came, for the dead-letter topic.
     */
    record Parsed(Object[] values, String problem, byte[] raw) {}

    private final Map<String, Integer> slots = new HashMap<>();

    TopicParser(Collection<String> names) {
        for (String name : names) {
            slots.putIfAbsent(name, slots.size());
        }
    }

    /** The slot of a name given at construction. */
    int slot(String name) {
        Integer slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("'" + name + "' is not read from this topic");
        }
        return slot;
    }

    Parsed parse(byte[] json) {
        if (json == null) {
            return new Parsed(null, "no value", null);
        }
        Object[] values = new Object[slots.size()];
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Parsed(null, "not a JSON object", json);
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                Integer slot = slots.get(parser.currentName());
                JsonToken value = parser.nextToken();
                if (slot != null) {
                    values[slot] = value(value, parser);
                }
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return new Parsed(null, "not a single JSON object", json);
            }
        } catch (JacksonException e) {
            return new Parsed(null, "not JSON: " + e.getOriginalMessage(), json);
        }
        return new Parsed(values, null, json);
    }

    private static Object value(JsonToken value, JsonParser parser) {
        return switch (value) {
            case VALUE_NUMBER_INT ->
                parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) parser.getDoubleValue()
                        : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_STRING -> parser.getString();
            case START_OBJECT, START_ARRAY -> new Other(value.asString());
            default -> new Other(parser.getString());
        };
    }
}
