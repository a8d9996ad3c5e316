package dev.sextant.gateway.security;

import dev.sextant.gateway.web.RequestAttributes;
import java.security.Principal;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who the client is, for the filters after this one and for the backends. As a global filter it resolves the
 * authenticated principal once and keeps its name in {@link RequestAttributes#CLIENT} (rate limits, access log).
 * As a headers filter it shapes what the backend receives: every {@code X-Sextant-*} header a client sent is
 * dropped, since those are the gateway's to set, and {@value #ACTOR} names the authenticated client, which the
 * registry and the orchestrator record as who made a change. An unauthenticated request (the public API
 * documentation) carries no actor.
 */
@Component
class ClientIdentityFilter implements GlobalFilter, HttpHeadersFilter, Ordered {

    static final String ACTOR = "X-Sextant-Actor";
    static final String ANONYMOUS = "anonymous";
    private static final String PREFIX = "x-sextant-";

    /** Before the size limit (-30) and the rate limiter (-20), which read the client. */
    @Override
    public int getOrder() {
        return -40;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal()
                .map(Principal::getName)
                .defaultIfEmpty(ANONYMOUS)
                .flatMap(client -> {
                    exchange.getAttributes().put(RequestAttributes.CLIENT, client);
                    return chain.filter(exchange);
                });
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HttpHeaders output = new HttpHeaders();
        input.forEach((name, values) -> {
            if (!name.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                output.addAll(name, values);
            }
        });
        Object client = exchange.getAttribute(RequestAttributes.CLIENT);
        if (client != null && !ANONYMOUS.equals(client)) {
            output.set(ACTOR, client.toString());
        }
        return output;
    }
}
