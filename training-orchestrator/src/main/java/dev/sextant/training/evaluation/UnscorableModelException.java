package dev.sextant.training.evaluation;

/** A model this evaluation cannot score: its inputs or outputs are not a binary classifier's of one matrix. */
public final class UnscorableModelException extends RuntimeException {

    public UnscorableModelException(String message) {
        super(message);
    }

    public UnscorableModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
