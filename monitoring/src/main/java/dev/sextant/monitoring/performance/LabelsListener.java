package dev.sextant.monitoring.performance;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.deadletter.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes {@code labels.v1} (docs/events/labels.v1.md) and joins each label with its prediction by id
 * ({@code event_id} = the prediction's request id). A record that is not a label, or that cannot be processed,
 * goes to {@code labels.v1.dead-letter} with the reason and is counted; consumption goes on.
 */
@Component
class LabelsListener {

    private static final Logger log = LoggerFactory.getLogger(LabelsListener.class);
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private final OnlinePerformance performance;
    private final JsonMapper json;
    private final DeadLetters deadLetters;
    private final String deadLetterTopic;
    private final Counter accepted;
    private final Counter deadLettered;

    LabelsListener(
            OnlinePerformance performance,
            JsonMapper json,
            DeadLetters deadLetters,
            MonitoringProperties properties,
            MeterRegistry meters) {
        this.performance = performance;
        this.json = json;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = properties.performance().labelsDeadLetterTopic();
        this.accepted = meters.counter("sextant.monitoring.labels", "outcome", "accepted");
        this.deadLettered = meters.counter("sextant.monitoring.labels", "outcome", "dead_lettered");
    }

    /** A record that is not a label monitoring can use, with the reason. */
    static final class InvalidLabelException extends RuntimeException {
        InvalidLabelException(String message) {
            super(message);
        }
    }

    @KafkaListener(
            id = "labels",
            topics = "${sextant.monitoring.performance.labels-topic}",
            groupId = "monitoring-labels",
            batch = "true")
    void consume(List<ConsumerRecord<String, String>> records, Acknowledgment acknowledgment)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (ConsumerRecord<String, String> record : records) {
            String reason;
            try {
                JsonNode label = json.readTree(record.value() == null ? "" : record.value());
                performance.labelled(eventId(label), outcome(label.path("label")), labelTime(label.path("label_time")));
                accepted.increment();
                continue;
            } catch (InvalidLabelException e) {
                reason = e.getMessage();
            } catch (JacksonException e) {
                reason = "not JSON: " + e.getOriginalMessage();
            } catch (RuntimeException e) {
                log.error(
                        "label at {}-{}@{} could not be processed",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e);
                reason = "could not be processed: " + e;
            }
            deadLetters.send(deadLetterTopic, "monitoring labels", record, reason);
            deadLettered.increment();
        }
        acknowledgment.acknowledge();
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
