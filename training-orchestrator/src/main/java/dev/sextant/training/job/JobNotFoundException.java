package dev.sextant.training.job;

/** No job has this id: a 404. */
public final class JobNotFoundException extends RuntimeException {

    public JobNotFoundException(String id) {
        super("no training job " + id);
    }
}
