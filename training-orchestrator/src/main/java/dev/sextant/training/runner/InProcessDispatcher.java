package dev.sextant.training.runner;

import dev.sextant.training.TrainingProperties;
import dev.sextant.training.job.InstanceId;
import dev.sextant.training.job.JobDispatcher;
import dev.sextant.training.job.JobRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code runner: in-process}: claims due jobs while this instance runs fewer than {@code max-concurrent}, and runs
 * each on a bounded executor of that many threads.
 */
class InProcessDispatcher implements JobDispatcher {

    private final JobRepository jobs;
    private final JobExecution execution;
    private final TrainingProperties.Jobs settings;
    private final InstanceId instance;
    private final Clock clock;
    private final ExecutorService executor;

    InProcessDispatcher(
            JobRepository jobs,
            JobExecution execution,
            TrainingProperties.Jobs settings,
            InstanceId instance,
            Clock clock) {
        this.jobs = jobs;
        this.execution = execution;
        this.settings = settings;
        this.instance = instance;
        this.clock = clock;
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

    @Override
    public void dispatchDue() {
        while (execution.runningJobs() < settings.maxConcurrent()) {
            Instant now = clock.instant();
            String claimed = jobs.due(now, 10).stream()
                    .filter(id -> jobs.claim(id, instance.value(), now))
                    .findFirst()
                    .orElse(null);
            if (claimed == null) {
                return;
            }
            execution.start(jobs.find(claimed).orElseThrow(), executor);
        }
    }
}
