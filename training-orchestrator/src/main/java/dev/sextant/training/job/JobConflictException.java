package dev.sextant.training.job;

/** A job that cannot start now: its model has an active job, or its idempotency key belongs to another request. */
public final class JobConflictException extends RuntimeException {

    private final String jobId;

    public JobConflictException(String message, String jobId) {
        super(message);
        this.jobId = jobId;
    }

    /** The job in the way. */
    public String jobId() {
        return jobId;
    }
}
