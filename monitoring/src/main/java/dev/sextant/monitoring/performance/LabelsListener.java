package dev.sextant.monitoring.performance;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.deadletter.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes {@code labels.v1} (contracts/events/labels.v1.md) and joins each label with its prediction by id
 * ({@code event_id} = the prediction's request id). A record that is not a label, or that cannot be processed,
 * goes to {@code labels.v1.dead-letter} with the reason and is counted; consumption goes on.
 */
@Component
class LabelsListener {

    private static final Logger log = LoggerFactory.getLogger(LabelsListener.class);

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
            MonitoringProperties.Performance settings,
            MeterRegistry meters) {
        this.performance = performance;
        this.json = json;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = settings.labelsDeadLetterTopic();
        this.accepted = meters.counter("sextant.monitoring.labels", "outcome", "accepted");
        this.deadLettered = meters.counter("sextant.monitoring.labels", "outcome", "dead_lettered");
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
                Label label = Label.parse(json, record.value());
                performance.labelled(label.eventId(), label.outcome(), label.time());
                accepted.increment();
                continue;
            } catch (Label.InvalidLabelException e) {
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
}
