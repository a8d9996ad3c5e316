package dev.sextant.features.client.online;

/** Redis did not answer (down, restarting, or too slow); the caller may retry. */
public final class OnlineStoreUnavailableException extends RuntimeException {

    public OnlineStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
