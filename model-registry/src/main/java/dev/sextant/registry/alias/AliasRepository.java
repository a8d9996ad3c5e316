package dev.sextant.registry.alias;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Aliases (where each name points now) and their append-only history. */
@Repository
class AliasRepository {

    private final JdbcClient jdbc;

    AliasRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record AliasRow(String alias, int version, Instant updatedAt, String updatedBy) {}

    Optional<AliasRow> find(long modelId, String alias) {
        return jdbc.sql("SELECT * FROM model_alias WHERE model_id = :modelId AND alias = :alias")
                .param("modelId", modelId)
                .param("alias", alias)
                .query(AliasRepository::aliasRow)
                .optional();
    }

    /** The id of the model's running or paused rollout, if any. */
    Optional<Long> activeRollout(long modelId) {
        return jdbc.sql("SELECT id FROM model_rollout WHERE model_id = :modelId AND state IN ('RUNNING', 'PAUSED')")
                .param("modelId", modelId)
                .query(Long.class)
                .optional();
    }

    void upsert(long modelId, String alias, int version, Instant at, String actor) {
        int updated = jdbc.sql(
                        """
                        UPDATE model_alias SET version = :version, updated_at = :at, updated_by = :actor
                        WHERE model_id = :modelId AND alias = :alias
                        """)
                .param("version", version)
                .param("at", utc(at))
                .param("actor", actor)
                .param("modelId", modelId)
                .param("alias", alias)
                .update();
        if (updated == 0) {
            jdbc.sql(
                            """
                            INSERT INTO model_alias (model_id, alias, version, updated_at, updated_by)
                            VALUES (:modelId, :alias, :version, :at, :actor)
                            """)
                    .param("modelId", modelId)
                    .param("alias", alias)
                    .param("version", version)
                    .param("at", utc(at))
                    .param("actor", actor)
                    .update();
        }
    }

    void delete(long modelId, String alias) {
        jdbc.sql("DELETE FROM model_alias WHERE model_id = :modelId AND alias = :alias")
                .param("modelId", modelId)
                .param("alias", alias)
                .update();
    }

    void appendHistory(long modelId, String alias, Integer from, Integer to, Instant at, String actor, String reason) {
        jdbc.sql(
                        """
                        INSERT INTO model_alias_history (model_id, alias, from_version, to_version, changed_at,
                            changed_by, reason)
                        VALUES (:modelId, :alias, :from, :to, :at, :actor, :reason)
                        """)
                .param("modelId", modelId)
                .param("alias", alias)
                .param("from", from)
                .param("to", to)
                .param("at", utc(at))
                .param("actor", actor)
                .param("reason", reason)
                .update();
    }

    List<AliasChange> history(long modelId, String alias, int limit, int offset) {
        return jdbc.sql(
                        """
                        SELECT * FROM model_alias_history WHERE model_id = :modelId AND alias = :alias
                        ORDER BY id DESC LIMIT :limit OFFSET :offset
                        """)
                .param("modelId", modelId)
                .param("alias", alias)
                .param("limit", limit)
                .param("offset", offset)
                .query((rs, row) -> new AliasChange(
                        (Integer) rs.getObject("from_version", Integer.class),
                        (Integer) rs.getObject("to_version", Integer.class),
                        rs.getObject("changed_at", OffsetDateTime.class).toInstant(),
                        rs.getString("changed_by"),
                        rs.getString("reason")))
                .list();
    }

    private static AliasRow aliasRow(ResultSet rs, int row) throws SQLException {
        return new AliasRow(
                rs.getString("alias"),
                rs.getInt("version"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                rs.getString("updated_by"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
