package dev.sextant.prediction.inference;

import dev.sextant.prediction.api.InferenceError;
import dev.sextant.prediction.batching.ModelOverloadedException;
import dev.sextant.prediction.catalog.ModelNotFoundException;
import dev.sextant.prediction.runtime.ModelRunException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The Open Inference Protocol's error form, {@code {"error": "..."}}, for every refusal of its endpoints. */
@RestControllerAdvice(assignableTypes = InferenceController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class InferenceErrorsAdvice {

    private static final Logger log = LoggerFactory.getLogger(InferenceErrorsAdvice.class);

    @ExceptionHandler
    ResponseEntity<InferenceMessages.Error> refused(InferenceError e) {
        return error(e.status(), e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<InferenceMessages.Error> notServed(ModelNotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<InferenceMessages.Error> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        String reason = cause.getMessage() == null
                ? ""
                : cause.getMessage().lines().findFirst().orElse("");
        return error(HttpStatus.BAD_REQUEST, "the request body is not a valid infer request: " + reason);
    }

    @ExceptionHandler
    ResponseEntity<InferenceMessages.Error> mediaType(HttpMediaTypeNotSupportedException e) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send the infer request as application/json");
    }

    @ExceptionHandler
    ResponseEntity<InferenceMessages.Error> overloaded(ModelOverloadedException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(new InferenceMessages.Error(e.getMessage()));
    }

    /** The runtime refused inputs that passed the signature checks (e.g. a shape the graph cannot take). */
    @ExceptionHandler
    ResponseEntity<InferenceMessages.Error> runFailed(ModelRunException e) {
        log.warn("inference failed: {}", e.getMessage());
        return error(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }

    private static ResponseEntity<InferenceMessages.Error> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(new InferenceMessages.Error(message));
    }
}
