package dev.sextant.training.runner;

import dev.sextant.training.job.InstanceId;
import dev.sextant.training.job.JobRepository;
import dev.sextant.training.job.TrainingJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * The orchestrator started as a Kubernetes Job's worker ({@code sextant.training.worker.job-id}): runs that one
 * job, which the orchestrator claimed under this worker's name, and exits — 0 when it ended registered or rejected,
 * 1 otherwise (the job's state says why).
 */
@Component
@ConditionalOnProperty(name = "sextant.training.worker.job-id")
class WorkerMode implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(WorkerMode.class);

    private final String jobId;
    private final JobRepository jobs;
    private final JobExecution execution;
    private final InstanceId instance;
    private final ConfigurableApplicationContext context;

    WorkerMode(
            @Value("${sextant.training.worker.job-id}") String jobId,
            JobRepository jobs,
            JobExecution execution,
            InstanceId instance,
            ConfigurableApplicationContext context) {
        this.jobId = jobId;
        this.jobs = jobs;
        this.execution = execution;
        this.instance = instance;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        TrainingJob job = jobs.find(jobId).orElse(null);
        int code;
        if (job == null || !job.state().running() || !instance.value().equals(job.owner())) {
            log.error(
                    "training job {} is not claimed by this worker ({}): {}",
                    jobId,
                    instance.value(),
                    job == null ? "no such job" : job.state() + " owned by " + job.owner());
            code = 1;
        } else {
            log.info("worker {} runs training job {}", instance.value(), jobId);
            code = execution.runAsWorker(job) ? 0 : 1;
        }
        int exit = SpringApplication.exit(context, () -> code);
        System.exit(exit);
    }
}
