package dev.sextant.prediction.features;

/**
 * A served version the domain API cannot score: it declares no feature binding, or its binding does not fit the
 * feature repository or the model's inputs. The Open Inference Protocol still serves it.
 */
public class UnboundModelException extends RuntimeException {

    public UnboundModelException(String message) {
        super(message);
    }
}
