package dev.sextant.registry.events;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The outbox table as the relay sees it: pending events in order, their outcome, and the relay lease. */
@Repository
class OutboxRepository {

    private static final String LEASE = "model-events";

    private final JdbcClient jdbc;

    OutboxRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record PendingEvent(long id, String topic, String key, String payload) {}

    record Backlog(long pending, Optional<Instant> oldestCreatedAt, Optional<String> lastError) {}

    List<PendingEvent> pending(int limit) {
        return jdbc.sql(
                        """
                        SELECT id, topic, event_key, payload FROM event_outbox
                        WHERE published_at IS NULL ORDER BY id LIMIT :limit
                        """)
                .param("limit", limit)
                .query((rs, row) -> new PendingEvent(
                        rs.getLong("id"), rs.getString("topic"), rs.getString("event_key"), rs.getString("payload")))
                .list();
    }

    void markPublished(long id, Instant at) {
        jdbc.sql(
                        "UPDATE event_outbox SET published_at = :at, attempts = attempts + 1, last_error = NULL WHERE id = :id")
                .param("at", utc(at))
                .param("id", id)
                .update();
    }

    void recordFailure(long id, String error) {
        jdbc.sql("UPDATE event_outbox SET attempts = attempts + 1, last_error = :error WHERE id = :id")
                .param("error", error.length() > 2000 ? error.substring(0, 2000) : error)
                .param("id", id)
                .update();
    }

    Backlog backlog() {
        return jdbc.sql(
                        """
                        SELECT COUNT(*) AS pending, MIN(created_at) AS oldest,
                               MAX(CASE WHEN id = (SELECT MIN(id) FROM event_outbox WHERE published_at IS NULL)
                                        THEN last_error END) AS last_error
                        FROM event_outbox WHERE published_at IS NULL
                        """)
                .query((rs, row) -> new Backlog(
                        rs.getLong("pending"),
                        Optional.ofNullable(rs.getObject("oldest", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant),
                        Optional.ofNullable(rs.getString("last_error"))))
                .single();
    }

    int deletePublishedBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM event_outbox WHERE published_at IS NOT NULL AND published_at < :cutoff")
                .param("cutoff", utc(cutoff))
                .update();
    }

    /** Takes or renews the relay lease; true when this instance holds it until {@code now + duration}. */
    boolean acquireLease(String holder, Instant now, Duration duration) {
        return jdbc.sql(
                                """
                        UPDATE outbox_lease SET holder = :holder, expires_at = :expiresAt
                        WHERE name = :name AND (holder IS NULL OR holder = :holder OR expires_at < :now)
                        """)
                        .param("holder", holder)
                        .param("expiresAt", utc(now.plus(duration)))
                        .param("name", LEASE)
                        .param("now", utc(now))
                        .update()
                == 1;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
