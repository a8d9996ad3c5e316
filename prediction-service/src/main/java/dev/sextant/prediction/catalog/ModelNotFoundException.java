package dev.sextant.prediction.catalog;

/** The request names a model or version this service does not serve. */
public class ModelNotFoundException extends Exception {

    public ModelNotFoundException(String message) {
        super(message);
    }
}
