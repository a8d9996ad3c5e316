package dev.sextant.monitoring.performance;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code labels.v1} record (contracts/events/labels.v1.md), as monitoring reads it.
 *
 * @param eventId the labelled prediction's id: its request id, or {@code <request id>/<row>}
 * @param outcome the label
 * @param time when the outcome became known
 */
public record Label(String eventId, boolean outcome, Instant time) {

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** A record that is not a label monitoring can use, with the reason. */
    public static final class InvalidLabelException extends RuntimeException {
        InvalidLabelException(String message) {
            super(message);
        }
    }

    /**
     * Reads a record's value.
     *
     * @throws InvalidLabelException when it is not a label, with the reason
     * @throws JacksonException when it is not JSON
     */
    public static Label parse(JsonMapper json, String value) {
        JsonNode label = json.readTree(value == null ? "" : value);
        return new Label(eventId(label), outcome(label.path("label")), labelTime(label.path("label_time")));
    }

    private static String eventId(JsonNode label) {
        if (label == null || !label.isObject()) {
            throw new InvalidLabelException("not a JSON object");
        }
        JsonNode id = label.path("event_id");
        if (!id.isString() || id.asString().isBlank()) {
            throw new InvalidLabelException("event_id must be a non-empty string");
        }
        return id.asString();
    }

    private static boolean outcome(JsonNode label) {
        if (label.isBoolean()) {
            return label.booleanValue();
        }
        if (label.isIntegralNumber() && label.canConvertToInt() && (label.intValue() == 0 || label.intValue() == 1)) {
            return label.intValue() == 1;
        }
        throw new InvalidLabelException("label must be 0, 1, true or false, got " + label);
    }

    private static Instant labelTime(JsonNode time) {
        Instant at;
        if (time.isIntegralNumber() && time.canConvertToLong()) {
            at = Instant.ofEpochMilli(time.longValue());
        } else if (time.isString()) {
            try {
                at = OffsetDateTime.parse(time.asString()).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidLabelException("label_time '" + time.asString() + "' is not ISO-8601 with an offset");
            }
        } else {
            throw new InvalidLabelException("label_time must be an ISO-8601 instant or epoch milliseconds");
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new InvalidLabelException("label_time " + time + " is outside the years 0001-9999");
        }
        return at;
    }
}
