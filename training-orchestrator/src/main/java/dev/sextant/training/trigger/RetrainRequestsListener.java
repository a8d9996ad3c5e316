package dev.sextant.training.trigger;

import dev.sextant.training.job.InvalidJobException;
import dev.sextant.training.job.JobService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code retrain-requests.v1} (contracts/events/retrain-requests.v1.md): each valid request goes to
 * {@link JobService#retrain}, which debounces and cools down per model. Keyed by model, so one model's requests are
 * handled in order by one consumer. A request that cannot be acted on (not JSON, a field missing or too long, a model
 * without a recipe) goes to {@code retrain-requests.v1.dead-letter} with the reason and is counted
 * ({@code sextant.training.retrain.requests{outcome="rejected"}}); the batch goes on ({@code
 * RetrainRequestsPoisonIT}). Only a fault outside the records (the job database) fails the batch, which is retried.
 */
@Component
@ConditionalOnProperty(name = "sextant.training.retrain.enabled", havingValue = "true", matchIfMissing = true)
class RetrainRequestsListener {

    private static final Logger log = LoggerFactory.getLogger(RetrainRequestsListener.class);

    /** The job table's bound on an idempotency key. */
    private static final int MAX_KEY = 200;

    private final JobService jobs;
    private final JsonMapper json;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final Counter rejected;

    RetrainRequestsListener(
            JobService jobs, JsonMapper json, DeadLetterPublishingRecoverer deadLetters, MeterRegistry meters) {
        this.jobs = jobs;
        this.json = json;
        this.deadLetters = deadLetters;
        this.rejected = Counter.builder("sextant.training.retrain.requests")
                .description("retrain requests consumed, by what became of them")
                .tag("outcome", "rejected")
                .register(meters);
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
                String model = text(request, "model", true, 2000);
                String key = text(request, "idempotency_key", false, MAX_KEY);
                if (key == null) {
                    key = record.topic() + "-" + record.partition() + "-" + record.offset();
                }
                String reason = text(request, "reason", true, 2000);
                JsonNode evidence = request.get("evidence");
                jobs.retrain(model, reason, evidence == null || evidence.isNull() ? null : evidence.toString(), key);
            } catch (JacksonException | InvalidJobException | IllegalArgumentException e) {
                log.warn(
                        "dead-lettering retrain request at {}-{} offset {}: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
                deadLetters.accept(record, e);
                rejected.increment();
            }
        }
        acknowledgment.acknowledge();
    }

    private static String text(JsonNode request, String field, boolean required, int max) {
        JsonNode node = request == null ? null : request.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return null;
        }
        if (!node.isString() || node.asString().isBlank() || node.asString().length() > max) {
            throw new IllegalArgumentException(field + " must be a non-empty string of at most " + max + " characters");
        }
        return node.asString();
    }
}
