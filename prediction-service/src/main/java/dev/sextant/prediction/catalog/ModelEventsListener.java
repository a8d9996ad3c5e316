package dev.sextant.prediction.catalog;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reconciles the catalog as soon as the registry publishes a model event (a version registered, an alias set,
 * moved or deleted), instead of waiting for the next scheduled reconciliation. Each instance of the service
 * consumes in a consumer group of its own, so every instance sees every event. While Kafka is unreachable the
 * scheduled reconciliation still keeps the catalog in step, only later.
 */
@Component
class ModelEventsListener {

    private static final Logger log = LoggerFactory.getLogger(ModelEventsListener.class);

    private final ModelCatalog catalog;

    ModelEventsListener(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @KafkaListener(
            topics = "${sextant.prediction.model-events-topic}",
            groupId = "#{'${spring.application.name}-' + T(java.util.UUID).randomUUID()}")
    void onModelEvent(ConsumerRecord<String, String> event) {
        log.info("model event for {} at offset {}: reconciling", event.key(), event.offset());
        catalog.reconcile();
    }
}
