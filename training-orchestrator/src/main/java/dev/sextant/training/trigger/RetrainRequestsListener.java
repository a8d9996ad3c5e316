package dev.sextant.training.trigger;

import dev.sextant.training.job.InvalidJobException;
import dev.sextant.training.job.JobService;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code retrain-requests.v1} (docs/events/retrain-requests.v1.md): each valid request goes to
 * {@link JobService#retrain}, which debounces and cools down per model. Keyed by model, so one model's requests are
 * handled in order by one consumer. Invalid requests are logged and skipped.
 */
@Component
@ConditionalOnProperty(name = "sextant.training.retrain.enabled", havingValue = "true", matchIfMissing = true)
class RetrainRequestsListener {

    private static final Logger log = LoggerFactory.getLogger(RetrainRequestsListener.class);

    private final JobService jobs;
    private final JsonMapper json;

    RetrainRequestsListener(JobService jobs, JsonMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    @KafkaListener(
            id = "retrain-requests",
            topics = "${sextant.training.retrain.topic}",
            groupId = "training-orchestrator",
            batch = "true")
    void consume(List<ConsumerRecord<String, String>> records, Acknowledgment acknowledgment) {
        for (ConsumerRecord<String, String> record : records) {
            try {
                JsonNode request = json.readTree(record.value() == null ? "" : record.value());
                String model = text(request, "model", true);
                String key = text(request, "idempotency_key", false);
                if (key == null) {
                    key = record.topic() + "-" + record.partition() + "-" + record.offset();
                }
                String reason = text(request, "reason", true);
                JsonNode evidence = request.get("evidence");
                jobs.retrain(model, reason, evidence == null || evidence.isNull() ? null : evidence.toString(), key);
            } catch (JacksonException | InvalidJobException | IllegalArgumentException e) {
                log.warn(
                        "skipping invalid retrain request at {}-{} offset {}: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
            }
        }
        acknowledgment.acknowledge();
    }

    private static String text(JsonNode request, String field, boolean required) {
        JsonNode node = request == null ? null : request.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return null;
        }
        if (!node.isString() || node.asString().isBlank() || node.asString().length() > 2000) {
            throw new IllegalArgumentException(field + " must be a non-empty string of at most 2000 characters");
        }
        return node.asString();
    }
}
