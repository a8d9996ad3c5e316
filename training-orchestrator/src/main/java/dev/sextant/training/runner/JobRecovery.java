package dev.sextant.training.runner;

import dev.sextant.training.TrainingProperties;
import dev.sextant.training.job.InstanceId;
import dev.sextant.training.job.JobRepository;
import dev.sextant.training.job.JobState;
import dev.sextant.training.job.TrainingJob;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Recovers interrupted jobs — this instance's own when it starts, anyone's whose heartbeat went stale — by resuming
 * them from the start until they have been tried {@code max-attempts} times, then marking them failed. Until its own
 * jobs are recovered the instance dispatches nothing ({@link #ready()}); a Kubernetes worker
 * ({@code sextant.training.worker.job-id}) recovers and dispatches nothing, it runs its one job.
 */
@Component
class JobRecovery {

    private static final Logger log = LoggerFactory.getLogger(JobRecovery.class);

    private final JobRepository jobs;
    private final JobExecution execution;
    private final TrainingProperties.Jobs settings;
    private final InstanceId instance;
    private final Clock clock;
    private final boolean worker;
    private volatile boolean ready;

    JobRecovery(
            JobRepository jobs,
            JobExecution execution,
            TrainingProperties.Jobs settings,
            InstanceId instance,
            Clock clock,
            @Value("${sextant.training.worker.job-id:}") String workerJob) {
        this.jobs = jobs;
        this.execution = execution;
        this.settings = settings;
        this.instance = instance;
        this.clock = clock;
        this.worker = !workerJob.isBlank();
    }

    /** Whether this instance recovered its own jobs and may dispatch (never in a worker). */
    boolean ready() {
        return ready;
    }

    /** Jobs this instance held before it restarted were interrupted: resume or fail them now. */
    @EventListener(ApplicationReadyEvent.class)
    void recoverOwnJobs() {
        if (worker) {
            return;
        }
        for (TrainingJob job : jobs.runningOwnedBy(instance.value())) {
            if (!execution.running(job.id())) {
                recover(job, "this instance restarted");
            }
        }
        ready = true;
    }

    @Scheduled(fixedDelayString = "${sextant.training.jobs.heartbeat-interval}")
    void recoverStaleJobs() {
        if (!ready) {
            return;
        }
        for (TrainingJob job : jobs.stale(clock.instant().minus(settings.staleAfter()))) {
            if (!execution.running(job.id())) {
                recover(job, "its heartbeat stopped at " + job.heartbeatAt() + " (owner " + job.owner() + ")");
            }
        }
    }

    private void recover(TrainingJob job, String why) {
        Instant now = clock.instant();
        if (job.attempt() >= settings.maxAttempts()) {
            if (jobs.finish(
                    job.id(),
                    null,
                    JobState.FAILED,
                    "interrupted",
                    "interrupted " + job.attempt() + " times; the last time because " + why,
                    job.metrics(),
                    job.report(),
                    null,
                    now)) {
                jobs.log(
                        job.id(),
                        "ERROR",
                        "interrupted in " + job.state() + " (" + why + "), attempt " + job.attempt() + " of "
                                + settings.maxAttempts() + ": failed",
                        now);
                execution.count("failed");
            }
        } else if (jobs.requeue(job.id(), job.heartbeatAt())) {
            jobs.log(
                    job.id(),
                    "WARN",
                    "interrupted in " + job.state() + " (" + why + "); resuming from the start, attempt "
                            + (job.attempt() + 1) + " of " + settings.maxAttempts(),
                    now);
            log.warn("training job {} was interrupted ({}); resuming it", job.id(), why);
        }
    }
}
