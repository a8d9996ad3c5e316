package dev.sextant.features.client.online;

/** A read or write names something that does not exist or has the wrong shape; the message says what. */
public final class InvalidFeatureRequestException extends RuntimeException {

    public InvalidFeatureRequestException(String message) {
        super(message);
    }
}
