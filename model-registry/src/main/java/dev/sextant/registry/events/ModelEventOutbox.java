package dev.sextant.registry.events;

import dev.sextant.registry.RegistryProperties;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends model events to the outbox table in the caller's transaction, so an event exists if and only if
 * the change it describes was committed. {@link OutboxRelay} publishes them.
 */
@Component
public class ModelEventOutbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final String topic;

    ModelEventOutbox(JdbcClient jdbc, JsonMapper json, RegistryProperties.Events settings) {
        this.jdbc = jdbc;
        this.json = json;
        this.topic = settings.topic();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void append(ModelEvent event) {
        jdbc.sql(
                        """
                        INSERT INTO event_outbox (event_id, topic, event_key, payload, created_at)
                        VALUES (:eventId, :topic, :key, :payload, :createdAt)
                        """)
                .param("eventId", event.eventId())
                .param("topic", topic)
                .param("key", event.model())
                .param("payload", json.writeValueAsString(event))
                .param("createdAt", OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC))
                .update();
    }
}
