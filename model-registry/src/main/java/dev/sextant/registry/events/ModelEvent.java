package dev.sextant.registry.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * One record of {@code model-events.v1} (schema: contracts/events/model-events.v1.md). Keyed by model name, so
 * the events of one model are consumed in order. Delivery is at least once: consumers deduplicate on
 * {@code event_id}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelEvent(
        int schemaVersion,
        String eventId,
        Type type,
        String model,
        Integer version,
        String sha256,
        String alias,
        Integer previousVersion,
        JsonNode rollout,
        String reason,
        String actor,
        Instant occurredAt) {

    public enum Type {
        VERSION_REGISTERED,
        ALIAS_SET,
        ALIAS_DELETED,
        ROLLOUT_STARTED,
        ROLLOUT_CHANGED,
        ROLLOUT_ENDED
    }

    public static ModelEvent versionRegistered(String model, int version, String sha256, String actor, Instant at) {
        return new ModelEvent(
                1, newId(), Type.VERSION_REGISTERED, model, version, sha256, null, null, null, null, actor, at);
    }

    public static ModelEvent aliasSet(
            String model, String alias, int version, String sha256, Integer previousVersion, String actor, Instant at) {
        return new ModelEvent(
                1, newId(), Type.ALIAS_SET, model, version, sha256, alias, previousVersion, null, null, actor, at);
    }

    public static ModelEvent aliasDeleted(String model, String alias, int previousVersion, String actor, Instant at) {
        return new ModelEvent(
                1, newId(), Type.ALIAS_DELETED, model, null, null, alias, previousVersion, null, null, actor, at);
    }

    /** A rollout started, changed or ended: {@code rollout} is the rollout as it is now, without its history. */
    public static ModelEvent rollout(
            Type type, String model, JsonNode rollout, String reason, String actor, Instant at) {
        return new ModelEvent(1, newId(), type, model, null, null, null, null, rollout, reason, actor, at);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
