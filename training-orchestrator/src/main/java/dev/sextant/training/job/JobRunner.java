package dev.sextant.training.job;

import dev.sextant.training.TrainingProperties;
import dev.sextant.training.dataset.DatasetBuilder.DatasetException;
import dev.sextant.training.kubernetes.KubernetesJobLauncher;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs jobs. The database is the queue: this instance claims due pending jobs (a conditional update, so two
 * instances never take the same one) while its bounded executor has room, writes a heartbeat for the jobs it runs,
 * and recovers interrupted jobs — its own at startup, anyone's whose heartbeat went stale — by resuming them from
 * the start until they have been tried {@code max-attempts} times, then marking them failed. A job whose
 * dependency (registry, feature store) is unreachable is retried later the same way. With {@code runner:
 * kubernetes} a claimed job runs as a Kubernetes Job instead ({@link KubernetesJobLauncher}); a process started as
 * that Job's worker ({@code sextant.training.worker.job-id}) runs its one job and claims nothing.
 */
@Component
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobRepository jobs;
    private final TrainingPipeline pipeline;
    private final TrainingProperties.Jobs settings;
    private final boolean inProcess;
    private final InstanceId instance;
    private final Clock clock;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final ExecutorService executor;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean ready;
    private final boolean worker;
    private final KubernetesJobLauncher launcher;

    JobRunner(
            JobRepository jobs,
            TrainingPipeline pipeline,
            TrainingProperties properties,
            InstanceId instance,
            Clock clock,
            JsonMapper json,
            MeterRegistry meters,
            @Value("${sextant.training.worker.job-id:}") String workerJob) {
        this.worker = !workerJob.isBlank();
        this.launcher = new KubernetesJobLauncher(properties, json);
        this.jobs = jobs;
        this.pipeline = pipeline;
        this.settings = properties.jobs();
        this.inProcess = settings.runner() == TrainingProperties.Runner.IN_PROCESS;
        this.instance = instance;
        this.clock = clock;
        this.json = json;
        this.meters = meters;
        this.executor = new ThreadPoolExecutor(
                settings.maxConcurrent(),
                settings.maxConcurrent(),
                0,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(settings.maxConcurrent()),
                runnable -> {
                    Thread thread = new Thread(runnable, "training-job");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Jobs this instance held before it restarted were interrupted: resume or fail them now. */
    @EventListener(ApplicationReadyEvent.class)
    void recoverOwnJobs() {
        if (worker) {
            return;
        }
        for (TrainingJob job : jobs.runningOwnedBy(instance.value())) {
            if (!running.contains(job.id())) {
                recover(job, "this instance restarted");
            }
        }
        ready = true;
    }

    @Scheduled(fixedDelayString = "${sextant.training.jobs.poll-interval}")
    void claimDueJobs() {
        if (!ready || !inProcess || worker) {
            return;
        }
        while (running.size() < settings.maxConcurrent()) {
            Instant now = clock.instant();
            String claimed = jobs.due(now, 10).stream()
                    .filter(id -> jobs.claim(id, instance.value(), now))
                    .findFirst()
                    .orElse(null);
            if (claimed == null) {
                return;
            }
            TrainingJob job = jobs.find(claimed).orElseThrow();
            running.add(job.id());
            executor.execute(() -> run(job));
        }
    }

    /**
     * With {@code runner: kubernetes}: claims each due job under the name of a new Kubernetes Job and creates
     * that Job, whose worker pod runs it and writes its heartbeats. A job the API server refuses waits and is
     * tried again.
     */
    @Scheduled(fixedDelayString = "${sextant.training.jobs.poll-interval}")
    void launchDueJobs() {
        if (!ready || inProcess || worker) {
            return;
        }
        Instant now = clock.instant();
        for (String id : jobs.due(now, 10)) {
            TrainingJob pending = jobs.find(id).orElse(null);
            if (pending == null) {
                continue;
            }
            String name = KubernetesJobLauncher.name(pending, pending.attempt() + 1);
            if (!jobs.claim(id, name, now)) {
                continue;
            }
            TrainingJob job = jobs.find(id).orElseThrow();
            try {
                launcher.launch(job, name);
                jobs.log(id, "INFO", "running as Kubernetes Job " + name, clock.instant());
            } catch (RuntimeException e) {
                String problem = "cannot create Kubernetes Job " + name + ": " + e.getMessage();
                log.warn("training job {}: {}", id, problem);
                jobs.retryLater(id, name, problem, clock.instant().plus(settings.staleAfter()));
                jobs.log(
                        id,
                        "WARN",
                        problem + "; retrying in " + settings.staleAfter().toSeconds() + " s",
                        clock.instant());
            }
        }
    }

    /** Runs one job this process was started for (a Kubernetes worker pod); answers whether it ended well. */
    public boolean runAsWorker(TrainingJob job) {
        running.add(job.id());
        run(job);
        JobState state = jobs.find(job.id()).map(TrainingJob::state).orElse(JobState.FAILED);
        return state == JobState.REGISTERED || state == JobState.REJECTED;
    }

    @Scheduled(fixedDelayString = "${sextant.training.jobs.heartbeat-interval}")
    void heartbeat() {
        if (!running.isEmpty()) {
            jobs.heartbeat(running, instance.value(), clock.instant());
        }
    }

    @Scheduled(fixedDelayString = "${sextant.training.jobs.heartbeat-interval}")
    void recoverStaleJobs() {
        if (!ready || worker) {
            return;
        }
        for (TrainingJob job : jobs.stale(clock.instant().minus(settings.staleAfter()))) {
            if (!running.contains(job.id())) {
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
                count("failed");
            }
        } else if (jobs.requeue(job.id(), job.heartbeatAt())) {
            jobs.log(
                    job.id(),
                    "WARN",
                    "interrupted in " + job.state() + " (" + why + "); resuming from the start," + " attempt "
                            + (job.attempt() + 1) + " of " + settings.maxAttempts(),
                    now);
            log.warn("training job {} was interrupted ({}); resuming it", job.id(), why);
        }
    }

    /** Runs one claimed job to its end on the calling thread (the executor's, or a Kubernetes worker's). */
    public void run(TrainingJob job) {
        Timer.Sample sample = Timer.start(meters);
        Context context = new Context(job);
        String outcome;
        try {
            Outcome result = pipeline.run(job, context);
            JobState state = result.registered() ? JobState.REGISTERED : JobState.REJECTED;
            finish(job, state, result.summary(), null, result.metrics(), result.report(), result.registeredVersion());
            outcome = state.name().toLowerCase(java.util.Locale.ROOT);
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
            finish(
                    job,
                    JobState.FAILED,
                    "failed",
                    e.getMessage() == null ? e.toString() : e.getMessage(),
                    null,
                    null,
                    null);
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

    private void count(String outcome) {
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

    /** Number of jobs this instance is running. */
    public int runningJobs() {
        return running.size();
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
