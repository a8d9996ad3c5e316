package dev.sextant.prediction.api;

import dev.sextant.web.problems.ProblemDetailsHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every refusal the service's controllers do not answer themselves leaves it as {@code application/problem+json}:
 * an unknown route, a method or media type a route does not take, an unreadable body ({@link
 * ProblemDetailsHandler}). The domain API's advice ({@code PredictErrorsAdvice}) and the Open Inference Protocol's
 * ({@code InferenceErrorsAdvice}, in the protocol's {@code {"error": ...}} form) come first for their controllers.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ProblemDetailsHandler {}
