package dev.sextant.prediction.features;

/**
 * An online feature has no usable value for a row (not found, null or stale) and its binding has no default, so
 * the model's input cannot be assembled. Not the caller's mistake; the answer names the feature and the row.
 */
public class MissingFeatureException extends RuntimeException {

    public MissingFeatureException(String message) {
        super(message);
    }
}
