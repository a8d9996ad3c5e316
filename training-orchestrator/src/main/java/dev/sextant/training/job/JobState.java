package dev.sextant.training.job;

/** A training job's states: pending, then the running steps, then one terminal state. */
public enum JobState {
    PENDING,
    BUILDING_DATASET,
    TRAINING,
    EVALUATING,
    REGISTERING,
    REGISTERED,
    REJECTED,
    FAILED,
    CANCELLED;

    public boolean running() {
        return this == BUILDING_DATASET || this == TRAINING || this == EVALUATING || this == REGISTERING;
    }

    public boolean terminal() {
        return this == REGISTERED || this == REJECTED || this == FAILED || this == CANCELLED;
    }
}
