package dev.sextant.training.job;

/** A job request that cannot be run as asked: a 400 naming the field. */
public final class InvalidJobException extends RuntimeException {

    public InvalidJobException(String message) {
        super(message);
    }
}
