package dev.sextant.training.api;

import dev.sextant.training.job.InvalidJobException;
import dev.sextant.training.job.JobConflictException;
import dev.sextant.training.job.JobNotFoundException;
import dev.sextant.web.problems.ProblemDetailsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error leaves the orchestrator as {@code application/problem+json}: a request that cannot run is a 400
 * naming the field, a busy model or a reused idempotency key a 409 (with the job in the way), an unknown job a
 * 404, the job database down a 503, anything else a logged 500.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ProblemDetailsHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(InvalidJobException.class)
    ProblemDetail invalid(InvalidJobException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    @ExceptionHandler(JobConflictException.class)
    ProblemDetail conflict(JobConflictException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
        problem.setProperty("job_id", e.jobId());
        return problem;
    }

    @ExceptionHandler(JobNotFoundException.class)
    ProblemDetail notFound(JobNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class,
        CannotCreateTransactionException.class
    })
    ProblemDetail databaseUnavailable(RuntimeException e) {
        log.warn("job database unavailable", e);
        return problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Service unavailable",
                "the orchestrator's job database is unavailable; retry later");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("unexpected error", e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "an internal error occurred; it has been logged");
    }
}
