package dev.sextant.training.runner;

import dev.sextant.training.TrainingProperties;
import dev.sextant.training.dataset.DatasetBuilder.DatasetException;
import dev.sextant.training.job.InstanceId;
import dev.sextant.training.job.InvalidJobException;
import dev.sextant.training.job.JobRepository;
import dev.sextant.training.job.JobState;
import dev.sextant.training.job.TrainingJob;
import dev.sextant.training.pipeline.JobContext;
import dev.sextant.training.pipeline.Outcome;
import dev.sextant.training.pipeline.TrainingPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a claimed job through the training pipeline to its end — registered, rejected, cancelled or failed — and
 * writes its heartbeats while it runs. Every write goes through the owner check, so a job another instance has taken
 * over since is left alone. A dependency (registry, feature store) that is unreachable makes the job wait and be
 * tried again, {@code max-attempts} times at most.
 */
@Component
class JobExecution {

    private static final Logger log = LoggerFactory.getLogger(JobExecution.class);

    private final JobRepository jobs;
    private final TrainingPipeline pipeline;
    private final TrainingProperties.Jobs settings;
    private final InstanceId instance;
    private final Clock clock;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    JobExecution(
            JobRepository jobs,
            TrainingPipeline pipeline,
            TrainingProperties.Jobs settings,
            InstanceId instance,
            Clock clock,
            JsonMapper json,
            MeterRegistry meters) {
        this.jobs = jobs;
        this.pipeline = pipeline;
        this.settings = settings;
        this.instance = instance;
        this.clock = clock;
        this.json = json;
        this.meters = meters;
    }

    /** Runs a job this instance has just claimed on the executor; it counts as running from now. */
    void start(TrainingJob job, Executor executor) {
        running.add(job.id());
        executor.execute(() -> run(job));
    }

    /** Runs the one job this process was started for (a Kubernetes worker pod); answers whether it ended well. */
    boolean runAsWorker(TrainingJob job) {
        running.add(job.id());
        run(job);
        JobState state = jobs.find(job.id()).map(TrainingJob::state).orElse(JobState.FAILED);
        return state == JobState.REGISTERED || state == JobState.REJECTED;
    }

    /** Whether this instance is running the job. */
    boolean running(String id) {
        return running.contains(id);
    }

    /** Number of jobs this instance is running. */
    int runningJobs() {
        return running.size();
    }

    @Scheduled(fixedDelayString = "${sextant.training.jobs.heartbeat-interval}")
    void heartbeat() {
        if (!running.isEmpty()) {
            jobs.heartbeat(running, instance.value(), clock.instant());
        }
    }

    /** Runs one claimed job to its end on the calling thread. */
    private void run(TrainingJob job) {
        Timer.Sample sample = Timer.start(meters);
        Context context = new Context(job);
        String outcome;
        try {
            Outcome result = pipeline.run(job, context);
            JobState state = result.registered() ? JobState.REGISTERED : JobState.REJECTED;
            finish(job, state, result.summary(), null, result.metrics(), result.report(), result.registeredVersion());
            outcome = state.name().toLowerCase(Locale.ROOT);
        } catch (JobContext.JobCancelledException e) {
            finish(job, JobState.CANCELLED, "cancelled", null, null, null, null);
            outcome = "cancelled";
        } catch (JobContext.JobLostException e) {
            log.warn("training job {}: {}", job.id(), e.getMessage());
            outcome = "lost";
        } catch (DatasetException | InvalidJobException e) {
            context.log("ERROR", e.getMessage());
            finish(job, JobState.FAILED, "failed", e.getMessage(), null, null, null);
            outcome = "failed";
        } catch (ResourceAccessException | HttpServerErrorException e) {
            outcome = retryOrFail(job, context, e);
        } catch (RuntimeException | Error e) {
            // An Error too (a missing class, memory): the job must end, not stay RUNNING until it goes stale.
            log.error("training job {} failed", job.id(), e);
            context.log("ERROR", e.toString());
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            finish(job, JobState.FAILED, "failed", error, null, null, null);
            outcome = "failed";
        } finally {
            running.remove(job.id());
            if (!settings.keepWorkFiles()) {
                delete(pipeline.workDirectory(job.id()));
            }
        }
        sample.stop(Timer.builder("sextant.training.job.duration")
                .description("training jobs from claim to end, by outcome")
                .tag("outcome", outcome)
                .register(meters));
        count(outcome);
    }

    private String retryOrFail(TrainingJob job, Context context, RuntimeException e) {
        String problem = "a dependency is unavailable: " + e.getMessage().replace(": null", "") + " ("
                + NestedExceptionUtils.getMostSpecificCause(e) + ")";
        if (job.attempt() < settings.maxAttempts()) {
            Duration wait = settings.staleAfter().multipliedBy(job.attempt());
            if (jobs.retryLater(
                    job.id(), instance.value(), problem, clock.instant().plus(wait))) {
                context.log("WARN", problem + "; retrying in " + wait.toSeconds() + " s");
            }
            return "retried";
        }
        context.log("ERROR", problem);
        finish(job, JobState.FAILED, "failed", problem, null, null, null);
        return "failed";
    }

    private void finish(
            TrainingJob job,
            JobState state,
            String step,
            String error,
            Map<String, Double> metrics,
            Map<String, Object> report,
            Integer version) {
        Instant now = clock.instant();
        if (jobs.finish(
                job.id(),
                instance.value(),
                state,
                step,
                error,
                metrics == null ? null : json.writeValueAsString(metrics),
                report == null ? null : json.writeValueAsString(report),
                version,
                now)) {
            jobs.log(
                    job.id(),
                    state == JobState.FAILED ? "ERROR" : "INFO",
                    "ended " + state + (error == null ? ": " + step : ": " + error),
                    now);
            log.info("training job {} ended {}", job.id(), state);
        }
    }

    /** Counts a job's end by its outcome ({@code sextant.training.jobs}). */
    void count(String outcome) {
        meters.counter("sextant.training.jobs", "outcome", outcome).increment();
    }

    private static void delete(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot delete the work directory {}: {}", directory, e.getMessage());
        }
    }

    /** The pipeline's view of its job: writes go through the owner check. */
    private final class Context implements JobContext {

        private final TrainingJob job;

        Context(TrainingJob job) {
            this.job = job;
        }

        @Override
        public void progress(JobState state, String step, double progress) {
            if (!jobs.progress(job.id(), instance.value(), state, step, progress)) {
                throw new JobLostException("no longer owns job " + job.id() + "; stopping");
            }
            log("INFO", state + ": " + step);
        }

        @Override
        public void log(String message) {
            log("INFO", message);
        }

        void log(String level, String message) {
            jobs.log(job.id(), level, message, clock.instant());
        }

        @Override
        public void checkCancelled() {
            if (jobs.cancelRequested(job.id())) {
                throw new JobCancelledException();
            }
        }

        @Override
        public void saveReport(Map<String, Double> metrics, Map<String, Object> report) {
            jobs.saveReport(
                    job.id(), instance.value(), json.writeValueAsString(metrics), json.writeValueAsString(report));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Object> savedReport() {
            String report = jobs.find(job.id()).map(TrainingJob::report).orElse(null);
            return report == null ? null : json.readValue(report, Map.class);
        }
    }
}
