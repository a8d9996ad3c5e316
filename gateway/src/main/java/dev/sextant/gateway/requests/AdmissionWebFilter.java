package dev.sextant.gateway.requests;

import dev.sextant.admission.Admission;
import dev.sextant.gateway.web.Problems;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * The gateway's admission control ({@code sextant.admission}, module {@code admission}): a request to the API takes
 * a permit before authentication, routing or any backend call, or is answered at once 503 with {@code Retry-After};
 * its permit is given back when the exchange ends (answered, failed or cancelled). Right after
 * {@link RequestContextFilter}, so refusals carry the request id and are in the access log.
 */
@Component
class AdmissionWebFilter implements WebFilter, Ordered {

    private final Admission admission;

    AdmissionWebFilter(ObjectProvider<Admission> admission) {
        this.admission = admission.getIfAvailable();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (admission == null
                || !admission.guards(exchange.getRequest().getPath().value())) {
            return chain.filter(exchange);
        }
        Optional<Admission.Permit> acquired = admission.tryAcquire();
        if (acquired.isEmpty()) {
            exchange.getResponse()
                    .getHeaders()
                    .set(
                            HttpHeaders.RETRY_AFTER,
                            Long.toString(admission.retryAfter().toSeconds()));
            return Problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, admission.refusal());
        }
        Admission.Permit permit = acquired.get();
        return chain.filter(exchange).doFinally(signal -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            if (signal == SignalType.ON_COMPLETE && status != null) {
                permit.answered(status.value());
            } else {
                permit.abandoned();
            }
        });
    }
}
