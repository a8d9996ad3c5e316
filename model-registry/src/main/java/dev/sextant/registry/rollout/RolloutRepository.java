package dev.sextant.registry.rollout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rollouts and their append-only history in SQL. Arms, shadow and spec are JSON documents in TEXT columns owned by
 * this class; nothing of the storage leaves it.
 */
@Repository
class RolloutRepository {

    private static final TypeReference<List<Rollout.Arm>> ARMS = new TypeReference<>() {};
    private static final String COLUMNS = "r.*, m.name AS model_name";
    private static final String FROM = " FROM model_rollout r JOIN registered_model m ON m.id = r.model_id";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RolloutRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A new rollout at revision 1; answers its id. */
    long insert(long modelId, RolloutPlans.Plan plan, String key, String salt, Instant at, String actor) {
        KeyHolder id = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO model_rollout (model_id, strategy, state, revision, assign_key, salt, arms, shadow,
                            step, spec, created_at, created_by, updated_at, updated_by)
                        VALUES (:modelId, :strategy, :state, 1, :key, :salt, :arms, :shadow, :step, :spec, :at, :actor,
                            :at, :actor)
                        """)
                .param("modelId", modelId)
                .param("strategy", plan.spec().strategy())
                .param("state", Rollout.State.RUNNING.name())
                .param("key", key)
                .param("salt", salt)
                .param("arms", json.writeValueAsString(plan.arms()))
                .param("shadow", plan.shadow() == null ? null : json.writeValueAsString(plan.shadow()))
                .param("step", plan.step())
                .param("spec", json.writeValueAsString(plan.spec()))
                .param("at", utc(at))
                .param("actor", actor)
                .update(id, "id");
        return id.getKeyAs(Number.class).longValue();
    }

    Optional<Rollout> find(long modelId, long id) {
        return jdbc.sql("SELECT " + COLUMNS + FROM + " WHERE r.model_id = :modelId AND r.id = :id")
                .param("modelId", modelId)
                .param("id", id)
                .query(this::rollout)
                .optional();
    }

    /** The model's running or paused rollout, if any. */
    Optional<Rollout> active(long modelId) {
        return jdbc
                .sql("SELECT " + COLUMNS + FROM + " WHERE r.model_id = :modelId AND r.state IN ('RUNNING', 'PAUSED')"
                        + " ORDER BY r.id DESC")
                .param("modelId", modelId)
                .query(this::rollout)
                .list()
                .stream()
                .findFirst();
    }

    /** Newest first. */
    List<Rollout> list(long modelId, int limit, int offset) {
        return jdbc.sql("SELECT " + COLUMNS + FROM + " WHERE r.model_id = :modelId ORDER BY r.id DESC"
                        + " LIMIT :limit OFFSET :offset")
                .param("modelId", modelId)
                .param("limit", limit)
                .param("offset", offset)
                .query(this::rollout)
                .list();
    }

    /** Applies a transition decided on {@code revision}; false when the rollout has moved on since. */
    boolean update(long id, int revision, RolloutActions.Transition next, Instant at, String actor) {
        return jdbc.sql(
                                """
                                UPDATE model_rollout SET state = :state, revision = revision + 1, arms = :arms,
                                    shadow = :shadow, step = :step, updated_at = :at, updated_by = :actor,
                                    ended_at = :endedAt
                                WHERE id = :id AND revision = :revision
                                """)
                        .param("state", next.state().name())
                        .param("arms", json.writeValueAsString(next.arms()))
                        .param("shadow", next.shadow() == null ? null : json.writeValueAsString(next.shadow()))
                        .param("step", next.step())
                        .param("at", utc(at))
                        .param("actor", actor)
                        .param("endedAt", next.state().active() ? null : utc(at))
                        .param("id", id)
                        .param("revision", revision)
                        .update()
                == 1;
    }

    void appendHistory(Rollout rollout, String action, String reason, JsonNode evidence) {
        jdbc.sql(
                        """
                        INSERT INTO model_rollout_history (rollout_id, revision, action, state, arms, shadow, step,
                            reason, evidence, changed_at, changed_by)
                        VALUES (:id, :revision, :action, :state, :arms, :shadow, :step, :reason, :evidence, :at,
                            :actor)
                        """)
                .param("id", rollout.id())
                .param("revision", rollout.revision())
                .param("action", action)
                .param("state", rollout.state().name())
                .param("arms", json.writeValueAsString(rollout.arms()))
                .param("shadow", rollout.shadow() == null ? null : json.writeValueAsString(rollout.shadow()))
                .param("step", rollout.step())
                .param("reason", reason)
                .param("evidence", evidence == null ? null : json.writeValueAsString(evidence))
                .param("at", utc(rollout.updatedAt()))
                .param("actor", rollout.updatedBy())
                .update();
    }

    /** Every change of a rollout, newest first. */
    List<Rollout.Change> history(long id) {
        return jdbc.sql("SELECT * FROM model_rollout_history WHERE rollout_id = :id ORDER BY revision DESC")
                .param("id", id)
                .query((rs, row) -> new Rollout.Change(
                        rs.getInt("revision"),
                        rs.getString("action"),
                        Rollout.State.valueOf(rs.getString("state")),
                        json.readValue(rs.getString("arms"), ARMS),
                        shadow(rs.getString("shadow")),
                        (Integer) rs.getObject("step", Integer.class),
                        rs.getString("reason"),
                        rs.getString("evidence") == null ? null : json.readTree(rs.getString("evidence")),
                        rs.getObject("changed_at", OffsetDateTime.class).toInstant(),
                        rs.getString("changed_by")))
                .list();
    }

    private Rollout rollout(ResultSet rs, int row) throws SQLException {
        OffsetDateTime ended = rs.getObject("ended_at", OffsetDateTime.class);
        return new Rollout(
                rs.getLong("id"),
                rs.getString("model_name"),
                rs.getString("strategy"),
                Rollout.State.valueOf(rs.getString("state")),
                rs.getInt("revision"),
                rs.getString("assign_key"),
                rs.getString("salt"),
                json.readValue(rs.getString("arms"), ARMS),
                shadow(rs.getString("shadow")),
                (Integer) rs.getObject("step", Integer.class),
                json.readValue(rs.getString("spec"), RolloutSpec.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("created_by"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                rs.getString("updated_by"),
                ended == null ? null : ended.toInstant(),
                null);
    }

    private Rollout.ShadowArm shadow(String text) {
        return text == null ? null : json.readValue(text, Rollout.ShadowArm.class);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
