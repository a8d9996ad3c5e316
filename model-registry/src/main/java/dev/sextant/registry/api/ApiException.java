package dev.sextant.registry.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A client-facing failure answered as an RFC 9457 problem: the status and a detail that names the problem.
 * Thrown by services; rendered by {@link ProblemDetailsAdvice}.
 */
public final class ApiException extends ErrorResponseException {

    private ApiException(HttpStatus status, String title, String detail, Throwable cause) {
        super(status, problem(status, title, detail), cause);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", detail, null);
    }

    public static ApiException badRequest(String detail, Throwable cause) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", detail, cause);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", detail, null);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail, null);
    }

    public static ApiException unprocessable(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable request", detail, null);
    }

    public static ApiException payloadTooLarge(String detail) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", detail, null);
    }

    public static ApiException unavailable(String detail, Throwable cause) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail, cause);
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }

    /** The one way the registry builds a problem: status, a short title, a detail that names the problem. */
    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
