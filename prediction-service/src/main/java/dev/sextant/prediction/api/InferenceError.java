package dev.sextant.prediction.api;

import org.springframework.http.HttpStatus;

/** A request the Open Inference Protocol API refuses: answered as {@code {"error": message}} with the status. */
public class InferenceError extends RuntimeException {

    private final HttpStatus status;

    InferenceError(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public static InferenceError badRequest(String message) {
        return new InferenceError(HttpStatus.BAD_REQUEST, message);
    }

    public HttpStatus status() {
        return status;
    }
}
