package dev.sextant.prediction.batching;

/**
 * A model version cannot take a request now: its batching queue is full, the request was not answered within
 * the batching timeout, or the version was unloaded while it waited. Answered 503 with {@code Retry-After}; the
 * request was not run.
 */
public class ModelOverloadedException extends RuntimeException {

    public ModelOverloadedException(String message) {
        super(message);
    }
}
