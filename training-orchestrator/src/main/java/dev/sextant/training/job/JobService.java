package dev.sextant.training.job;

import dev.sextant.training.TrainingProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creating, cancelling and reading jobs. Creation is where the platform's promises about triggers are kept: one
 * active job per model (a row per model, inserted in the job's transaction), idempotency keys (a repeated trigger
 * answers the job it started), and for retrain requests a debounce and a cooldown per model.
 */
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    public static final String API = "api";
    public static final String SCHEDULE = "schedule";
    public static final String RETRAIN_REQUEST = "retrain_request";

    private final JobRepository jobs;
    private final JobSpecs specs;
    private final TransactionTemplate transactions;
    private final TrainingProperties.Retrain retrain;
    private final Clock clock;
    private final MeterRegistry meters;

    JobService(
            JobRepository jobs,
            JobSpecs specs,
            TransactionTemplate transactions,
            TrainingProperties.Retrain retrain,
            Clock clock,
            MeterRegistry meters) {
        this.jobs = jobs;
        this.specs = specs;
        this.transactions = transactions;
        this.retrain = retrain;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * A created job, or the one an earlier request with the same idempotency key created.
     *
     * @param created false when the key's job was answered
     */
    public record Created(TrainingJob job, boolean created) {}

    /**
     * Creates a pending job.
     *
     * @param trigger {@link #API}, {@link #SCHEDULE} or {@link #RETRAIN_REQUEST}
     * @param idempotencyKey null, or a key a repeated trigger sends again
     * @param delay how long the job waits before it may start
     * @throws InvalidJobException when the request cannot be run
     * @throws JobConflictException when the model has an active job, or the key was used for another model
     */
    public Created create(JobRequest request, String trigger, String idempotencyKey, String actor, Duration delay) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new InvalidJobException("the idempotency key must be 1-200 characters");
        }
        Optional<Created> repeated = repeated(request, idempotencyKey);
        if (repeated.isPresent()) {
            return repeated.get();
        }
        Instant now = clock.instant();
        JobSpec spec = specs.resolve(request, now);
        TrainingJob job = new TrainingJob(
                UUID.randomUUID().toString(),
                spec.model(),
                JobState.PENDING,
                trigger,
                request.reason(),
                idempotencyKey,
                spec,
                "waiting to be claimed",
                0,
                0,
                false,
                null,
                null,
                now.plus(delay),
                now,
                actor == null ? "anonymous" : actor,
                null,
                null,
                null,
                null,
                null,
                null);
        try {
            transactions.executeWithoutResult(status -> {
                Optional<String> active = jobs.activeJob(spec.model());
                if (active.isPresent() && !ended(active.get())) {
                    throw conflict(spec.model(), active.get());
                }
                active.ifPresent(jobs::release); // a row left behind by an ended job (not expected; harmless)
                jobs.insert(job);
                jobs.insertActive(spec.model(), job.id());
                jobs.log(
                        job.id(),
                        "INFO",
                        "created by " + trigger + " (" + job.createdBy() + ")"
                                + (job.reason() == null ? "" : ": " + job.reason()),
                        now);
            });
        } catch (DuplicateKeyException e) {
            // A concurrent request won the race: for the same key, answer its job; else the model is busy.
            Optional<Created> raced = repeated(request, idempotencyKey);
            if (raced.isPresent()) {
                return raced.get();
            }
            String active = jobs.activeJob(spec.model()).orElse(null);
            throw conflict(spec.model(), active);
        }
        log.info("training job {} created for {} by {}", job.id(), spec.model(), trigger);
        return new Created(jobs.find(job.id()).orElseThrow(), true);
    }

    private boolean ended(String jobId) {
        return jobs.find(jobId).map(job -> job.state().terminal()).orElse(true);
    }

    private Optional<Created> repeated(JobRequest request, String idempotencyKey) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        return jobs.findByIdempotencyKey(idempotencyKey).map(existing -> {
            if (request != null && !existing.model().equals(request.model())) {
                throw new JobConflictException(
                        "idempotency key '" + idempotencyKey + "' was used for a job of model " + existing.model(),
                        existing.id());
            }
            return new Created(existing, false);
        });
    }

    private static JobConflictException conflict(String model, String active) {
        return new JobConflictException(
                "model " + model + " has an active training job " + active + "; one job per model runs at a time",
                active);
    }

    /**
     * A retrain request from monitoring. Within the cooldown after a retrain-triggered job, or while the model has
     * an active job, the request starts nothing (the active job's log records it); otherwise it creates a job
     * that waits for the debounce, so the rest of a burst finds it active.
     *
     * @return what became of it: {@code started}, {@code duplicate}, {@code joined} or {@code cooldown}
     */
    public String retrain(String model, String reason, String evidence, String idempotencyKey) {
        String outcome = decideRetrain(model, reason, evidence, idempotencyKey);
        Counter.builder("sextant.training.retrain.requests")
                .description("retrain requests consumed, by what became of them")
                .tag("outcome", outcome)
                .register(meters)
                .increment();
        log.info("retrain request {} for {}: {}", idempotencyKey, model, outcome);
        return outcome;
    }

    private String decideRetrain(String model, String reason, String evidence, String idempotencyKey) {
        Instant now = clock.instant();
        if (idempotencyKey != null && jobs.findByIdempotencyKey(idempotencyKey).isPresent()) {
            return "duplicate";
        }
        Optional<String> active = jobs.activeJob(model);
        if (active.isPresent()) {
            jobs.log(active.get(), "INFO", "retrain request " + idempotencyKey + " joined this job: " + reason, now);
            return "joined";
        }
        Optional<Instant> latest = jobs.latestCreated(model, RETRAIN_REQUEST);
        if (latest.isPresent() && latest.get().plus(retrain.cooldown()).isAfter(now)) {
            return "cooldown";
        }
        String why = reason + (evidence == null ? "" : " — evidence: " + evidence);
        try {
            create(
                    JobRequest.of(model, why.length() > 2000 ? why.substring(0, 2000) : why),
                    RETRAIN_REQUEST,
                    idempotencyKey,
                    "monitoring",
                    retrain.debounce());
            return "started";
        } catch (JobConflictException e) {
            return "joined";
        }
    }

    public Optional<TrainingJob> find(String id) {
        return jobs.find(id);
    }

    public List<TrainingJob> list(String model, JobState state, int limit, int offset) {
        return jobs.list(model, state, limit, offset);
    }

    public List<JobRepository.LogLine> logs(String id, long after, int limit) {
        return jobs.logs(id, after, limit);
    }

    /**
     * Cancels a job: a pending one at once, a running one at its next checkpoint. A finished job is answered as
     * it is.
     */
    public TrainingJob cancel(String id, String actor) {
        TrainingJob job = jobs.find(id).orElseThrow(() -> new JobNotFoundException(id));
        Instant now = clock.instant();
        if (job.state() == JobState.PENDING) {
            if (jobs.cancelPending(id, "cancelled by " + actor, now)) {
                jobs.log(id, "INFO", "cancelled by " + actor + " before it started", now);
            }
        } else if (job.state().running()) {
            jobs.requestCancel(id);
            jobs.log(id, "INFO", "cancel requested by " + actor, now);
        }
        return jobs.find(id).orElseThrow();
    }
}
