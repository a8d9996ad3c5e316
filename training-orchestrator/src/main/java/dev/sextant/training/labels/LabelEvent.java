package dev.sextant.training.labels;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@code labels.v1} event (contracts/events/labels.v1.md): the outcome of an event that was scored, with the keys
 * and time of that event, so a training set can be joined point-in-time with its features.
 *
 * @param eventId the labelled event (a transaction id, or a prediction's request id)
 * @param label whether the outcome is positive (fraud)
 * @param eventTime when the labelled event happened: the time its features are taken as of
 * @param labelTime when the outcome became known
 * @param entities join keys of the event (e.g. card_id, merchant_id), as JSON
 * @param request the event's own values (e.g. amount, country), as JSON
 */
record LabelEvent(
        String eventId, boolean label, Instant eventTime, Instant labelTime, String entities, String request) {

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** A record that is not a valid label, with the reason. */
    static final class InvalidLabelException extends RuntimeException {
        InvalidLabelException(String message) {
            super(message);
        }
    }

    static LabelEvent parse(String value, JsonMapper json) {
        JsonNode node;
        try {
            node = json.readTree(value == null ? "" : value);
        } catch (JacksonException e) {
            throw new InvalidLabelException("value is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidLabelException("value is not a JSON object");
        }
        JsonNode id = node.get("event_id");
        if (id == null
                || !id.isString()
                || id.asString().isBlank()
                || id.asString().length() > 200) {
            throw new InvalidLabelException("event_id must be a non-empty string of at most 200 characters");
        }
        boolean label = label(node.get("label"));
        Instant eventTime = time(node.get("event_time"), "event_time");
        Instant labelTime = time(node.get("label_time"), "label_time");
        if (labelTime.isBefore(eventTime)) {
            throw new InvalidLabelException("label_time " + labelTime + " is before event_time " + eventTime);
        }
        return new LabelEvent(
                id.asString(),
                label,
                eventTime,
                labelTime,
                scalars(node.get("entities"), "entities", true, json),
                scalars(node.get("request"), "request", false, json));
    }

    private static boolean label(JsonNode node) {
        if (node != null && node.isBoolean()) {
            return node.booleanValue();
        }
        if (node != null
                && node.isIntegralNumber()
                && node.canConvertToInt()
                && (node.intValue() == 0 || node.intValue() == 1)) {
            return node.intValue() == 1;
        }
        throw new InvalidLabelException("label must be 0, 1, true or false");
    }

    private static Instant time(JsonNode node, String field) {
        Instant time;
        if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
            time = Instant.ofEpochMilli(node.longValue());
        } else if (node != null && node.isString()) {
            try {
                time = java.time.OffsetDateTime.parse(node.asString()).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidLabelException(field + " '" + node.asString() + "' is not ISO-8601 with an offset");
            }
        } else {
            throw new InvalidLabelException(field + " must be an ISO-8601 instant or epoch milliseconds");
        }
        // the archive stores epoch milliseconds and training reads years of four digits
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw new InvalidLabelException(field + " " + node + " is outside the years 0001-9999");
        }
        return time;
    }

    private static String scalars(JsonNode node, String field, boolean required, JsonMapper json) {
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidLabelException(field + " must be an object of the event's join keys");
            }
            return "{}";
        }
        if (!node.isObject() || (required && node.isEmpty())) {
            throw new InvalidLabelException(field + " must be " + (required ? "a non-empty" : "an") + " object");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (var entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isValueNode()) {
                throw new InvalidLabelException(field + "." + entry.getKey() + " must be a string, number or boolean");
            }
            values.put(entry.getKey(), value);
        }
        return json.writeValueAsString(values);
    }
}
