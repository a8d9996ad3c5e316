package dev.sextant.training.runner;

import dev.sextant.training.job.JobDispatcher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Every {@code poll-interval}, once this instance has recovered its own jobs, the due jobs are dispatched. */
@Component
class Dispatching {

    private final JobDispatcher dispatcher;
    private final JobRecovery recovery;

    Dispatching(JobDispatcher dispatcher, JobRecovery recovery) {
        this.dispatcher = dispatcher;
        this.recovery = recovery;
    }

    @Scheduled(fixedDelayString = "${sextant.training.jobs.poll-interval}")
    void dispatchDueJobs() {
        if (recovery.ready()) {
            dispatcher.dispatchDue();
        }
    }
}
