package dev.sextant.training.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jobs, their logs and the one-active-job-per-model rows in SQL. Every change of a running job is conditional on
 * its owner, so an instance that lost a job (it was presumed dead and the job reclaimed) cannot write over the
 * job's new run.
 */
@Repository
public class JobRepository {

    private static final String COLUMNS = "id, model, state, trigger_kind, reason, idempotency_key, spec, step,"
            + " progress, attempt, cancel_requested, owner, heartbeat_at, not_before, created_at, created_by,"
            + " started_at, finished_at, error, metrics, report, registered_version";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    JobRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One log line of a job. */
    public record LogLine(long id, Instant at, String level, String message) {}

    void insert(TrainingJob job) {
        jdbc.sql("INSERT INTO training_job (id, model, state, trigger_kind, reason, idempotency_key, spec, step,"
                        + " not_before, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        job.id(),
                        job.model(),
                        job.state().name(),
                        job.trigger(),
                        job.reason(),
                        job.idempotencyKey(),
                        json.writeValueAsString(job.spec()),
                        job.step(),
                        utc(job.notBefore()),
                        utc(job.createdAt()),
                        job.createdBy())
                .update();
    }

    /** Marks the job as its model's active one; fails (duplicate key) when the model has one already. */
    void insertActive(String model, String jobId) {
        jdbc.sql("INSERT INTO active_training_job (model, job_id) VALUES (?, ?)")
                .params(model, jobId)
                .update();
    }

    Optional<String> activeJob(String model) {
        return jdbc.sql("SELECT job_id FROM active_training_job WHERE model = ?")
                .param(model)
                .query(String.class)
                .optional();
    }

    public Optional<TrainingJob> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM training_job WHERE id = ?")
                .param(id)
                .query(this::job)
                .optional();
    }

    Optional<TrainingJob> findByIdempotencyKey(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM training_job WHERE idempotency_key = ?")
                .param(key)
                .query(this::job)
                .optional();
    }

    List<TrainingJob> list(String model, JobState state, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM training_job WHERE 1 = 1");
        List<Object> params = new java.util.ArrayList<>();
        if (model != null) {
            sql.append(" AND model = ?");
            params.add(model);
        }
        if (state != null) {
            sql.append(" AND state = ?");
            params.add(state.name());
        }
        sql.append(" ORDER BY created_at DESC, id LIMIT ? OFFSET ?");
        params.add(limit);
        params.add(offset);
        return jdbc.sql(sql.toString()).params(params).query(this::job).list();
    }

    /** When the latest job of a model with this trigger was created. */
    Optional<Instant> latestCreated(String model, String trigger) {
        return jdbc.sql("SELECT max(created_at) FROM training_job WHERE model = ? AND trigger_kind = ?")
                .params(model, trigger)
                .query((rs, row) -> instant(rs, 1))
                .optional();
    }

    /** The pending jobs due now, oldest first. */
    public List<String> due(Instant now, int limit) {
        return jdbc.sql("SELECT id FROM training_job WHERE state = 'PENDING' AND not_before <= ?"
                        + " ORDER BY created_at, id LIMIT ?")
                .params(utc(now), limit)
                .query(String.class)
                .list();
    }

    /** Takes a pending job for an owner: true when this call moved it out of PENDING. */
    public boolean claim(String id, String owner, Instant now) {
        return jdbc.sql("UPDATE training_job SET state = 'BUILDING_DATASET', owner = ?, heartbeat_at = ?,"
                                + " attempt = attempt + 1, started_at = COALESCE(started_at, ?), step = 'claimed',"
                                + " progress = 0 WHERE id = ? AND state = 'PENDING'")
                        .params(owner, utc(now), utc(now), id)
                        .update()
                == 1;
    }

    /** Records a running job's state and step; false when the owner no longer holds the job. */
    public boolean progress(String id, String owner, JobState state, String step, double progress) {
        return jdbc.sql("UPDATE training_job SET state = ?, step = ?, progress = ? WHERE id = ? AND owner = ?"
                                + " AND state IN ('BUILDING_DATASET', 'TRAINING', 'EVALUATING', 'REGISTERING')")
                        .params(state.name(), step, progress, id, owner)
                        .update()
                == 1;
    }

    public void heartbeat(Collection<String> ids, String owner, Instant now) {
        for (String id : ids) {
            jdbc.sql("UPDATE training_job SET heartbeat_at = ? WHERE id = ? AND owner = ?")
                    .params(utc(now), id, owner)
                    .update();
        }
    }

    public boolean cancelRequested(String id) {
        return jdbc.sql("SELECT cancel_requested FROM training_job WHERE id = ?")
                .param(id)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    /**
     * Ends a job: its terminal state and results, and frees its model, in one transaction; false when the owner
     * (null: anyone) no longer holds it.
     */
    @Transactional
    public boolean finish(
            String id,
            String owner,
            JobState state,
            String step,
            String error,
            String metrics,
            String report,
            Integer version,
            Instant now) {
        String ownerClause = owner == null ? "" : " AND owner = ?";
        List<Object> params = new java.util.ArrayList<>(List.of(state.name(), step, utc(now)));
        params.add(error);
        params.add(metrics);
        params.add(report);
        params.add(version);
        params.add(id);
        if (owner != null) {
            params.add(owner);
        }
        boolean done = jdbc.sql("UPDATE training_job SET state = ?, step = ?, progress = 1, finished_at = ?,"
                                + " error = ?, metrics = ?, report = ?, registered_version = ? WHERE id = ?"
                                + " AND state NOT IN ('REGISTERED', 'REJECTED', 'FAILED', 'CANCELLED')"
                                + ownerClause)
                        .params(params)
                        .update()
                == 1;
        if (done) {
            release(id);
        }
        return done;
    }

    /** Cancels a job that has not started, and frees its model; false when it has started (or ended). */
    @Transactional
    public boolean cancelPending(String id, String step, Instant now) {
        boolean done = jdbc.sql("UPDATE training_job SET state = 'CANCELLED', step = ?, finished_at = ?"
                                + " WHERE id = ? AND state = 'PENDING'")
                        .params(step, utc(now), id)
                        .update()
                == 1;
        if (done) {
            release(id);
        }
        return done;
    }

    /** Puts a running job back to PENDING until {@code notBefore}, after a dependency failed. */
    public boolean retryLater(String id, String owner, String step, Instant notBefore) {
        return jdbc.sql("UPDATE training_job SET state = 'PENDING', owner = NULL, step = ?, not_before = ?"
                                + " WHERE id = ? AND owner = ? AND state IN ('BUILDING_DATASET', 'TRAINING',"
                                + " 'EVALUATING', 'REGISTERING')")
                        .params(step, utc(notBefore), id, owner)
                        .update()
                == 1;
    }

    /** Stores the evaluation report and metrics of a running job. */
    public void saveReport(String id, String owner, String metrics, String report) {
        jdbc.sql("UPDATE training_job SET metrics = ?, report = ? WHERE id = ? AND owner = ?")
                .params(metrics, report, id, owner)
                .update();
    }

    /** Running jobs an owner holds: after a restart of that owner, they were interrupted. */
    public List<TrainingJob> runningOwnedBy(String owner) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM training_job WHERE owner = ? AND state IN ('BUILDING_DATASET',"
                        + " 'TRAINING', 'EVALUATING', 'REGISTERING')")
                .param(owner)
                .query(this::job)
                .list();
    }

    /** Frees the job's model for its next job. */
    void release(String id) {
        jdbc.sql("DELETE FROM active_training_job WHERE job_id = ?").param(id).update();
    }

    void requestCancel(String id) {
        jdbc.sql("UPDATE training_job SET cancel_requested = TRUE WHERE id = ?")
                .param(id)
                .update();
    }

    /** Running jobs whose heartbeat is older than the given instant: their process died. */
    public List<TrainingJob> stale(Instant before) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM training_job WHERE state IN ('BUILDING_DATASET', 'TRAINING',"
                        + " 'EVALUATING', 'REGISTERING') AND heartbeat_at < ?")
                .param(utc(before))
                .query(this::job)
                .list();
    }

    /** Puts an interrupted job back to PENDING, if nobody touched it since it was found stale. */
    public boolean requeue(String id, Instant heartbeatAt) {
        return jdbc.sql("UPDATE training_job SET state = 'PENDING', owner = NULL, step = 'resumed after an"
                                + " interruption' WHERE id = ? AND heartbeat_at = ? AND state IN ('BUILDING_DATASET',"
                                + " 'TRAINING', 'EVALUATING', 'REGISTERING')")
                        .params(id, utc(heartbeatAt))
                        .update()
                == 1;
    }

    public void log(String jobId, String level, String message, Instant now) {
        jdbc.sql("INSERT INTO training_job_log (job_id, at, level, message) VALUES (?, ?, ?, ?)")
                .params(jobId, utc(now), level, message)
                .update();
    }

    List<LogLine> logs(String jobId, long after, int limit) {
        return jdbc.sql("SELECT id, at, level, message FROM training_job_log WHERE job_id = ? AND id > ?"
                        + " ORDER BY id LIMIT ?")
                .params(jobId, after, limit)
                .query((rs, row) -> new LogLine(
                        rs.getLong("id"), instant(rs, "at"), rs.getString("level"), rs.getString("message")))
                .list();
    }

    private TrainingJob job(ResultSet rs, int row) throws SQLException {
        Object version = rs.getObject("registered_version");
        return new TrainingJob(
                rs.getString("id"),
                rs.getString("model"),
                JobState.valueOf(rs.getString("state")),
                rs.getString("trigger_kind"),
                rs.getString("reason"),
                rs.getString("idempotency_key"),
                json.readValue(rs.getString("spec"), JobSpec.class),
                rs.getString("step"),
                rs.getDouble("progress"),
                rs.getInt("attempt"),
                rs.getBoolean("cancel_requested"),
                rs.getString("owner"),
                instant(rs, "heartbeat_at"),
                instant(rs, "not_before"),
                instant(rs, "created_at"),
                rs.getString("created_by"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                rs.getString("error"),
                rs.getString("metrics"),
                rs.getString("report"),
                version == null ? null : ((Number) version).intValue());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
