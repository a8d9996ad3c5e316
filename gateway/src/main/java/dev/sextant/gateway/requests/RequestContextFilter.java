package dev.sextant.gateway.requests;

import dev.sextant.gateway.web.RequestAttributes;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * First for every request, refused or not: gives it a request id ({@value #REQUEST_ID}: the caller's when it is a
 * safe token of at most 128 characters, else a new UUID) and a W3C trace context ({@code traceparent}, with
 * {@code tracestate} kept only beside the caller's own traceparent), passes both to the backend, echoes both in
 * the response, and writes one access-log line when the response completes: route, client, method, path,
 * status, latency, request id and trace id.
 */
class RequestContextFilter implements WebFilter, Ordered {

    static final String REQUEST_ID = "X-Request-Id";
    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

    private static final Logger access = LoggerFactory.getLogger("dev.sextant.gateway.access");
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private final boolean accessLog;

    /** @param accessLog whether each request is logged (logger {@code dev.sextant.gateway.access}) */
    RequestContextFilter(boolean accessLog) {
        this.accessLog = accessLog;
    }

    @Override
    public int getOrder() {
        // before Spring Security's filters (-100), so 401s and 403s carry the ids and are logged too
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String offered = headers.getFirst(REQUEST_ID);
        String requestId = offered != null && SAFE_ID.matcher(offered).matches()
                ? offered
                : UUID.randomUUID().toString();
        TraceContext trace = TraceContext.of(headers.getFirst(TRACEPARENT));
        exchange.getAttributes().put(RequestAttributes.REQUEST_ID, requestId);
        exchange.getAttributes().put(RequestAttributes.TRACE_ID, trace.traceId());

        ServerHttpRequest request = exchange.getRequest()
                .mutate()
                .headers(outgoing -> {
                    outgoing.set(REQUEST_ID, requestId);
                    outgoing.set(TRACEPARENT, trace.traceparent());
                    if (trace.started()) {
                        outgoing.remove(TRACESTATE);
                    }
                })
                .build();
        HttpHeaders response = exchange.getResponse().getHeaders();
        response.set(REQUEST_ID, requestId);
        response.set(TRACEPARENT, trace.traceparent());
        ServerWebExchange forwarded = exchange.mutate().request(request).build();
        if (!accessLog) {
            return chain.filter(forwarded);
        }
        return chain.filter(forwarded).doFinally(signal -> log(forwarded, start, signal.toString()));
    }

    private static void log(ServerWebExchange exchange, long start, String signal) {
        if (!access.isInfoEnabled()) {
            return;
        }
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Object client = exchange.getAttribute(RequestAttributes.CLIENT);
        var status = exchange.getResponse().getStatusCode();
        access.info(
                "route={} client={} method={} path={} status={} latency_ms={} request_id={} trace_id={}{}",
                route == null ? "-" : route.getId(),
                client == null ? "-" : client,
                exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value(),
                status == null ? "-" : status.value(),
                Math.round((System.nanoTime() - start) / 1e3) / 1e3,
                exchange.getAttribute(RequestAttributes.REQUEST_ID),
                exchange.getAttribute(RequestAttributes.TRACE_ID),
                "onComplete".equals(signal) ? "" : " signal=" + signal);
    }
}
