package dev.sextant.registry.api;

import dev.sextant.web.problems.ProblemDetailsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * Every error leaves the registry as {@code application/problem+json}. Spring's own MVC exceptions (missing
 * part, unreadable body, type mismatch, oversized upload, ...) get their standard 4xx problems; the
 * registry's own are {@link ApiException}s; a database outage (no connection, a connection lost mid-transaction,
 * a failed commit or rollback) is a 503; anything else is a logged 500.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ProblemDetailsHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ApiException.problem(
                HttpStatus.CONTENT_TOO_LARGE,
                "Payload too large",
                "the upload exceeds the limit of " + ex.getMaxUploadSize() + " bytes");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
    }

    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class,
        CannotCreateTransactionException.class,
        TransactionSystemException.class
    })
    ProblemDetail databaseUnavailable(RuntimeException ex) {
        log.warn("metadata database unavailable", ex);
        return ApiException.problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Service unavailable",
                "the registry's metadata database is unavailable; retry later");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception ex) {
        log.error("unexpected error", ex);
        return ApiException.problem(
                HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "an internal error occurred; it has been logged");
    }
}
