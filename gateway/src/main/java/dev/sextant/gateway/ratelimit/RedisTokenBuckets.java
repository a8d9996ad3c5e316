package dev.sextant.gateway.ratelimit;

import dev.sextant.gateway.GatewayProperties;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Token buckets in Redis, one per route and client, taken atomically by Spring Cloud Gateway's own token-bucket
 * script ({@code META-INF/scripts/request_rate_limiter.lua}, the one its {@code RedisRateLimiter} runs, with
 * Redis's clock). This class adds what that limiter lacks: per-client buckets and the wait before a refused
 * request may retry.
 */
class RedisTokenBuckets {

    /**
     * The script's text, read once: a script made from the resource itself would check the resource for changes
     * on every call, which costs a look into the jar per request.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final RedisScript<List<Long>> SCRIPT =
            (RedisScript<List<Long>>) (RedisScript) RedisScript.of(script(), List.class);

    private final ReactiveStringRedisTemplate redis;

    RedisTokenBuckets(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Takes one token from the bucket of this route and client. */
    Mono<Decision> take(String route, String client, GatewayProperties.Bucket bucket) {
        // the braces keep both keys of a bucket on one Redis Cluster slot
        String prefix = "sextant:rate:{" + route + ":" + client + "}";
        List<String> keys = List.of(prefix + ".tokens", prefix + ".timestamp");
        List<String> arguments =
                List.of(Integer.toString(bucket.replenishRate()), Integer.toString(bucket.burstCapacity()), "", "1");
        return redis.execute(SCRIPT, keys, arguments).next().map(result -> decision(result, bucket));
    }

    private static String script() {
        try (var in = new ClassPathResource("META-INF/scripts/request_rate_limiter.lua").getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Spring Cloud Gateway's rate limiter script is missing", e);
        }
    }

    private static Decision decision(List<Long> result, GatewayProperties.Bucket bucket) {
        boolean allowed = result.get(0) == 1L;
        long remaining = result.get(1);
        // the script refills whole seconds (Redis TIME): a refused request may retry once the missing token is in
        long retryAfterSeconds =
                allowed ? 0 : Math.max(1, (long) Math.ceil((1.0 - remaining) / bucket.replenishRate()));
        return new Decision(allowed, remaining, retryAfterSeconds);
    }

    /** Whether the request may pass, the tokens left, and (when refused) how many seconds until it may retry. */
    record Decision(boolean allowed, long remaining, long retryAfterSeconds) {}
}
