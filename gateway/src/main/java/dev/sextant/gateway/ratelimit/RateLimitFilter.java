package dev.sextant.gateway.ratelimit;

import dev.sextant.gateway.GatewayProperties;
import dev.sextant.gateway.web.Problems;
import dev.sextant.gateway.web.RequestAttributes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Per-client rate limits on every route: one token bucket per route and client
 * ({@code sextant.gateway.rate-limits}), kept in Redis and taken from locally between synchronisations
 * ({@link RedisTokenBuckets}). A refused request is answered 429 with {@code Retry-After}; every
 * answer carries {@code X-RateLimit-*} headers. If Redis does not answer within the configured timeout the
 * request passes (fail-open: the platform keeps serving without its limits), which is counted in
 * {@code sextant_gateway_rate_limit_requests_total{outcome="fail_open"}} and logged once per outage.
 */
class RateLimitFilter implements GlobalFilter, Ordered {

    /**
     * Before the routes' own filters (circuit breaker, retry), after the route is chosen and the client known
     * ({@code ClientIdentityFilter}).
     */
    static final int ORDER = -20;

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final GatewayProperties.RateLimits properties;
    private final RedisTokenBuckets buckets;
    private final MeterRegistry meters;
    /** The decision counters of each route, made on its first request. */
    private final Map<String, Outcomes> outcomes = new ConcurrentHashMap<>();

    private volatile boolean failingOpen;

    RateLimitFilter(GatewayProperties.RateLimits properties, LettuceConnectionFactory redis, MeterRegistry meters) {
        this.properties = properties;
        this.buckets = new RedisTokenBuckets(redis, this.properties);
        this.meters = meters;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!properties.enabled()) {
            return chain.filter(exchange);
        }
        Route route = exchange.getRequiredAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String client = exchange.getRequiredAttribute(RequestAttributes.CLIENT);
        return limit(exchange, chain, route.getId(), client);
    }

    private Mono<Void> limit(ServerWebExchange exchange, GatewayFilterChain chain, String route, String client) {
        GatewayProperties.Bucket bucket = properties.bucket(route, client);
        return buckets.take(route, client, bucket)
                .timeout(properties.timeout())
                .map(decision -> {
                    if (failingOpen) {
                        failingOpen = false;
                        log.info("Redis answers the rate limiter again: limits are enforced again");
                    }
                    return Optional.of(decision);
                })
                .onErrorResume(e -> {
                    if (!failingOpen) {
                        failingOpen = true;
                        log.warn(
                                "Redis did not answer the rate limiter ({}): requests pass unlimited until it"
                                        + " does",
                                e.toString());
                    }
                    return Mono.just(Optional.empty());
                })
                .flatMap(decision -> {
                    if (decision.isEmpty()) {
                        outcomes(route).failOpen().increment();
                        return chain.filter(exchange);
                    }
                    return apply(exchange, chain, route, client, bucket, decision.get());
                });
    }

    private Mono<Void> apply(
            ServerWebExchange exchange,
            GatewayFilterChain chain,
            String route,
            String client,
            GatewayProperties.Bucket bucket,
            RedisTokenBuckets.Decision decision) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set("X-RateLimit-Remaining", Long.toString(decision.remaining()));
        headers.set("X-RateLimit-Burst-Capacity", Integer.toString(bucket.burstCapacity()));
        headers.set("X-RateLimit-Replenish-Rate", Integer.toString(bucket.replenishRate()));
        if (decision.allowed()) {
            outcomes(route).allowed().increment();
            return chain.filter(exchange);
        }
        outcomes(route).limited().increment();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        return Problems.write(
                exchange,
                HttpStatus.TOO_MANY_REQUESTS,
                "client '" + client + "' is over its rate limit on route '" + route + "' (" + bucket.replenishRate()
                        + " requests a second, bursts of " + bucket.burstCapacity() + "); retry in "
                        + decision.retryAfterSeconds() + " s");
    }

    private Outcomes outcomes(String route) {
        return outcomes.computeIfAbsent(
                route, id -> new Outcomes(counter(id, "allowed"), counter(id, "limited"), counter(id, "fail_open")));
    }

    private Counter counter(String route, String outcome) {
        return Counter.builder("sextant.gateway.rate.limit.requests")
                .description("Rate-limit decisions: allowed, limited (429), or fail_open (Redis unavailable)")
                .tag("route", route)
                .tag("outcome", outcome)
                .register(meters);
    }

    private record Outcomes(Counter allowed, Counter limited, Counter failOpen) {}
}
