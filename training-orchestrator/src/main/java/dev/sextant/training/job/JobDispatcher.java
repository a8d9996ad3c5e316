package dev.sextant.training.job;

/**
 * How due pending jobs start, chosen by {@code sextant.training.jobs.runner}: claimed and run in this process's
 * executor ({@code in-process}), or claimed under a Kubernetes Job's name and launched as that Job, whose worker pod
 * runs it ({@code kubernetes}). The database is the queue either way: a claim is a conditional update, so two
 * instances never take the same job.
 */
public interface JobDispatcher {

    /** Claims and starts the due jobs there is room for. */
    void dispatchDue();
}
