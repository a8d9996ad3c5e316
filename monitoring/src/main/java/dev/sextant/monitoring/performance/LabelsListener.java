package dev.sextant.monitoring.performance;

import java.time.Instant;
import java.util.List;
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
 * ({@code event_id} = the prediction's request id). Invalid records are logged and skipped.
 */
@Component
class LabelsListener {

    private static final Logger log = LoggerFactory.getLogger(LabelsListener.class);

    private final OnlinePerformance performance;
    private final JsonMapper json;

    LabelsListener(OnlinePerformance performance, JsonMapper json) {
        this.performance = performance;
        this.json = json;
    }

    @KafkaListener(
            id = "labels",
            topics = "${sextant.monitoring.performance.labels-topic}",
            groupId = "monitoring-labels",
            batch = "true")
    void consume(List<ConsumerRecord<String, String>> records, Acknowledgment acknowledgment) {
        for (ConsumerRecord<String, String> record : records) {
            try {
                JsonNode label = json.readTree(record.value() == null ? "" : record.value());
                JsonNode outcome = label.path("label");
                boolean positive = outcome.isBoolean() ? outcome.booleanValue() : outcome.intValue() == 1;
                JsonNode time = label.path("label_time");
                Instant labelTime = time.isNumber()
                        ? Instant.ofEpochMilli(time.longValue())
                        : java.time.OffsetDateTime.parse(time.asString()).toInstant();
                performance.labelled(label.path("event_id").asString(), positive, labelTime);
            } catch (JacksonException | java.time.format.DateTimeParseException e) {
                log.warn(
                        "skipping invalid label at {}-{} offset {}: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
            }
        }
        acknowledgment.acknowledge();
    }
}
