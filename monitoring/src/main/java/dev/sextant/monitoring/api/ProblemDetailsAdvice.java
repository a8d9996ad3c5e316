package dev.sextant.monitoring.api;

import dev.sextant.web.problems.ProblemDetailsHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every refusal leaves monitoring as {@code application/problem+json}: Spring's own (an unknown route, a method or
 * media type not supported) and an unreadable body, as {@link ProblemDetailsHandler} answers them; the controllers'
 * own refusals are {@code ResponseStatusException}s with their reason as the detail.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ProblemDetailsHandler {}
