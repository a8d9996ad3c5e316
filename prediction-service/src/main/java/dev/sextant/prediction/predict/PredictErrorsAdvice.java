package dev.sextant.prediction.predict;

import dev.sextant.features.client.online.InvalidFeatureRequestException;
import dev.sextant.features.client.online.OnlineStoreUnavailableException;
import dev.sextant.prediction.api.InferenceError;
import dev.sextant.prediction.batching.ModelOverloadedException;
import dev.sextant.prediction.catalog.ModelNotFoundException;
import dev.sextant.prediction.features.MissingFeatureException;
import dev.sextant.prediction.features.UnboundModelException;
import dev.sextant.prediction.runtime.ModelRunException;
import dev.sextant.web.problems.ProblemDetailsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The domain API's refusals as RFC 9457 problem details: a mistake in the request is a 400 naming the field, a
 * model not served a 404, a version whose features cannot be assembled a 422 saying why, the online store
 * unavailable (under the model's fail policy) a 503.
 */
@RestControllerAdvice(assignableTypes = PredictController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PredictErrorsAdvice extends ProblemDetailsHandler {

    private static final Logger log = LoggerFactory.getLogger(PredictErrorsAdvice.class);

    @ExceptionHandler
    ProblemDetail invalid(InvalidFeatureRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail refused(InferenceError e) {
        return problem(e.status(), "Invalid request", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notServed(ModelNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Model not served", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unbound(UnboundModelException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Model not scorable by the domain API", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail missing(MissingFeatureException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Feature missing", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unavailable(OnlineStoreUnavailableException e) {
        log.warn("domain prediction refused, online store unavailable: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Online store unavailable", e.getMessage() + "; retry later");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> overloaded(ModelOverloadedException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Model overloaded", e.getMessage()));
    }

    @ExceptionHandler
    ProblemDetail runFailed(ModelRunException e) {
        log.warn("inference failed: {}", e.getMessage());
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Inference failed", e.getMessage());
    }
}
