package dev.sextant.training.kubernetes;

import dev.sextant.training.job.JobDispatcher;
import dev.sextant.training.job.JobRepository;
import dev.sextant.training.job.TrainingJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code runner: kubernetes}: claims each due job under the name of a new Kubernetes Job and creates that Job, whose
 * worker pod runs it and writes its heartbeats. A job the API server refuses waits {@code stale-after} and is tried
 * again.
 */
public class KubernetesDispatcher implements JobDispatcher {

    private static final Logger log = LoggerFactory.getLogger(KubernetesDispatcher.class);

    private final JobRepository jobs;
    private final KubernetesJobLauncher launcher;
    private final Duration retryAfter;
    private final Clock clock;

    /** @param retryAfter how long a job the API server refused waits before it is launched again */
    public KubernetesDispatcher(JobRepository jobs, KubernetesJobLauncher launcher, Duration retryAfter, Clock clock) {
        this.jobs = jobs;
        this.launcher = launcher;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    @Override
    public void dispatchDue() {
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
                jobs.retryLater(id, name, problem, clock.instant().plus(retryAfter));
                jobs.log(id, "WARN", problem + "; retrying in " + retryAfter.toSeconds() + " s", clock.instant());
            }
        }
    }
}
