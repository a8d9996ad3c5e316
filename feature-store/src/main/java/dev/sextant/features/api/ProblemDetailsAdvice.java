package dev.sextant.features.api;

import dev.sextant.features.client.online.InvalidFeatureRequestException;
import dev.sextant.features.client.online.OnlineStoreUnavailableException;
import dev.sextant.web.problems.ProblemDetailsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error leaves the feature store as {@code application/problem+json}: a request naming something that
 * does not exist or has the wrong shape is a 400 that says what; Redis unavailable is a 503; anything else is a
 * logged 500.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ProblemDetailsHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(InvalidFeatureRequestException.class)
    ProblemDetail invalid(InvalidFeatureRequestException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage());
    }

    @ExceptionHandler(OnlineStoreUnavailableException.class)
    ProblemDetail unavailable(OnlineStoreUnavailableException ex) {
        log.warn("online store unavailable: {}", ex.getMessage());
        return problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Online store unavailable",
                "the online store (Redis) is unavailable; retry later");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception ex) {
        log.error("unexpected error", ex);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "an internal error occurred; it has been logged");
    }
}
