package dev.sextant.features.client.definition;

/** A definition file is wrong; the message names the file and the field. */
public final class InvalidDefinitionException extends RuntimeException {

    InvalidDefinitionException(String message) {
        super(message);
    }

    InvalidDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
