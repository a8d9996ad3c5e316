package dev.sextant.training.pipeline;

import dev.sextant.training.job.JobState;
import java.util.Map;

/** What a running job's pipeline reports to, and asks, the job's owner. */
public interface JobContext {

    /** Records the step; throws {@link JobLostException} when this instance no longer owns the job. */
    void progress(JobState state, String step, double progress);

    /** Appends a line to the job's log. */
    void log(String message);

    /** Throws {@link JobCancelledException} when a cancel was requested. */
    void checkCancelled();

    /** Stores the evaluation report before registration, so a resumed job can finish from it. */
    void saveReport(Map<String, Double> metrics, Map<String, Object> report);

    /** The report saved by an earlier run of this job, or null. */
    Map<String, Object> savedReport();

    /** The job was cancelled. */
    final class JobCancelledException extends RuntimeException {
        public JobCancelledException() {
            super("cancelled");
        }
    }

    /** Another instance took the job over (this one was presumed dead): stop without touching it. */
    final class JobLostException extends RuntimeException {
        public JobLostException(String message) {
            super(message);
        }
    }
}
