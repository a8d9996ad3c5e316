package dev.sextant.gateway.web;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Every error the gateway answers itself, as problem details: no route (404), body too large (413), a backend
 * that cannot be reached or whose circuit is open (503, fast), a backend too slow for the route's timeout (504),
 * a backend that dropped the connection (502). Anything else is a 500 that names no internals and is logged.
 */
@Component
@Order(-2) // before Spring Boot's own error handler
class GatewayErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String backend = route == null ? "the backend" : "the backend of route '" + route.getId() + "'";
        if (error instanceof ServiceUnavailableException) {
            return Problems.write(
                    exchange,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    backend
                            + " is failing: its circuit breaker is open, so the gateway answers at once until a trial"
                            + " request succeeds");
        }
        if (error instanceof AuthenticationServiceException) {
            log.warn("Bearer tokens cannot be checked: {}", error.toString());
            return Problems.write(
                    exchange,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "the bearer token cannot be checked now:"
                            + " the identity provider's keys are unavailable; retry later, or use an API key");
        }
        if (error instanceof NotFoundException) {
            return Problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, backend + " is not available");
        }
        if (error instanceof ResponseStatusException status) {
            return Problems.write(exchange, status(status.getStatusCode()), detail(status, exchange, backend));
        }
        if (causedBy(error, ConnectException.class) || causedBy(error, ConnectTimeoutException.class)) {
            return Problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, backend + " cannot be reached");
        }
        if (causedBy(error, TimeoutException.class)) {
            return Problems.write(exchange, HttpStatus.GATEWAY_TIMEOUT, backend + " did not answer in time");
        }
        if (causedBy(error, PrematureCloseException.class)) {
            return Problems.write(exchange, HttpStatus.BAD_GATEWAY, backend + " closed the connection early");
        }
        log.error(
                "Unexpected error on {} {}",
                exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(),
                error);
        return Problems.write(
                exchange,
                HttpStatus.INTERNAL_SERVER_ERROR,
                "the gateway failed; see its log for " + "request id "
                        + exchange.getAttribute(RequestAttributes.REQUEST_ID));
    }

    private static String detail(ResponseStatusException error, ServerWebExchange exchange, String backend) {
        HttpStatusCode code = error.getStatusCode();
        if (code.value() == HttpStatus.NOT_FOUND.value()
                && exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) == null) {
            return "no route for " + exchange.getRequest().getPath().value()
                    + "; the gateway serves /v2/**, /api/v1/predict/**, /api/v1/features/**, /api/v1/models/**,"
                    + " /api/v1/training/** and /api/v1/monitoring/**";
        }
        if (code.value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
            return backend + " did not answer within the route's timeout";
        }
        return error.getReason() != null
                ? error.getReason()
                : HttpStatus.valueOf(code.value()).getReasonPhrase();
    }

    private static HttpStatus status(HttpStatusCode code) {
        HttpStatus status = HttpStatus.resolve(code.value());
        return status != null ? status : HttpStatus.INTERNAL_SERVER_ERROR;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
