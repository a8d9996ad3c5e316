package dev.sextant.web.problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * The base of every Spring MVC service's error advice: Spring's own refusals (an unknown route, a method or media
 * type not supported, a missing parameter) as RFC 9457 problem details, as {@link ResponseEntityExceptionHandler}
 * answers them, and a body that cannot be read as a 400 that names the field at fault: {@code request body.steps[0]
 * .weight is not valid: ...}, or {@code request body is missing or not readable}; an actor header that names no valid
 * actor ({@link Actor}) as a 400 that names the header. A service's advice extends it and
 * adds its own exceptions; test-support's {@code ErrorContract} holds each service to what it answers.
 */
public abstract class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

    public static final String INVALID_REQUEST = "Invalid request";

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(
                ex,
                problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, unreadable(ex)),
                headers,
                HttpStatus.BAD_REQUEST,
                request);
    }

    /** An actor header that names no valid actor. */
    @ExceptionHandler(Actor.InvalidActorException.class)
    ProblemDetail invalidActor(Actor.InvalidActorException ex) {
        return problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, ex.getMessage());
    }

    /** Why the body could not be read, naming the JSON path of the field at fault when there is one. */
    public static String unreadable(HttpMessageNotReadableException ex) {
        return ex.getCause() instanceof JacksonException json
                ? JsonErrors.describe("request body", json)
                : "request body is missing or not readable";
    }

    /** A problem with its status, title and detail. */
    public static ProblemDetail problem(HttpStatusCode status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
