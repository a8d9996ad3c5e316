package dev.sextant.prediction.runtime;

/** The inference engine failed to load or run a model; the message is the engine's reason, without file paths. */
public class ModelRunException extends Exception {

    public ModelRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
