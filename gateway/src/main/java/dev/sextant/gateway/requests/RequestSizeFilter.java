package dev.sextant.gateway.requests;

import dev.sextant.gateway.web.Problems;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Request size limits: the route's {@code max-request-size} metadata, else {@code sextant.gateway.max-request-size}.
 * A declared {@code Content-Length} over the limit is answered 413 before anything reaches the backend; a body
 * without one (chunked) is counted as it streams and cut off at the limit with 413.
 */
class RequestSizeFilter implements GlobalFilter, Ordered {

    static final String METADATA = "max-request-size";

    private final DataSize defaultLimit;
    /** Limits in bytes by the text of a route's metadata, parsed once. */
    private final Map<String, Long> parsed = new ConcurrentHashMap<>();

    /** @param defaultLimit the limit of a route whose metadata names none */
    RequestSizeFilter(DataSize defaultLimit) {
        this.defaultLimit = defaultLimit;
    }

    @Override
    public int getOrder() {
        return -30;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getRequiredAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Object configured = route.getMetadata().get(METADATA);
        long limit = configured == null
                ? defaultLimit.toBytes()
                : parsed.computeIfAbsent(
                        configured.toString(), text -> DataSize.parse(text).toBytes());
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > limit) {
            return Problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, tooLarge(route, limit, declared + " bytes"));
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        ServerHttpRequest counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        sink.error(new ResponseStatusException(
                                HttpStatus.CONTENT_TOO_LARGE, tooLarge(route, limit, "more")));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    private static String tooLarge(Route route, long limit, String size) {
        return "the request body (" + size + ") is over the "
                + DataSize.ofBytes(limit).toKilobytes() + " KB that route '" + route.getId() + "' accepts";
    }
}
