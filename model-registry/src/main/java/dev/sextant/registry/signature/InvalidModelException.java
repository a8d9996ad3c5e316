package dev.sextant.registry.signature;

/** The uploaded bytes are not an ONNX model that ONNX Runtime can load and serve. */
public final class InvalidModelException extends Exception {

    InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }

    InvalidModelException(String message) {
        super(message);
    }
}
