package dev.sextant.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sextant.gateway.GatewayProperties;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.RedisApi;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.publisher.Mono;

/**
 * Token buckets in Redis, one per route and client, kept by Bucket4j: each bucket's state is one Redis key,
 * updated by compare-and-swap. A gateway replica does not ask Redis on every request: it takes tokens from its own
 * copy of the bucket and writes what it took back to Redis when it has taken {@code unsynchronized-share} of the
 * bucket's burst capacity or when {@code sync-interval} has passed, whichever comes first (Bucket4j's delaying
 * optimization; requests that arrive while a synchronisation is in flight wait for it and are merged into it). So
 * a client's limit holds across replicas, exceeded at most by that share per replica, while the hot path makes a
 * Redis round trip only a few times a second per bucket. Bucket4j refills with the gateway's clock: replicas need
 * synchronised clocks (NTP), as Kubernetes nodes have.
 */
class RedisTokenBuckets {

    /** Bucket proxies hold the local copy: they are kept, at most this many, idle ones dropped after a while. */
    private static final int MAX_BUCKETS = 100_000;

    private static final Duration IDLE_BUCKET = Duration.ofMinutes(10);

    private final AsyncProxyManager<Object> buckets;
    private final double unsynchronizedShare;
    private final Duration syncInterval;
    private final Cache<String, AsyncBucketProxy> proxies = Caffeine.newBuilder()
            .maximumSize(MAX_BUCKETS)
            .expireAfterAccess(IDLE_BUCKET)
            .build();

    RedisTokenBuckets(LettuceConnectionFactory redis, GatewayProperties.RateLimits properties) {
        this.buckets = new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(new SharedConnection(redis))
                // a key lives until its bucket would be full again, and a little longer
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build()
                .asAsync();
        this.unsynchronizedShare = properties.unsynchronizedShare();
        this.syncInterval = properties.syncInterval();
    }

    /** Takes one token from the bucket of this route and client. */
    Mono<Decision> take(String route, String client, GatewayProperties.Bucket bucket) {
        // the braces keep a bucket on one Redis Cluster slot
        String key = "sextant:rate:{" + route + ":" + client + "}";
        AsyncBucketProxy proxy = proxies.get(key, id -> proxy(id, bucket));
        return Mono.fromFuture(() -> proxy.tryConsumeAndReturnRemaining(1), true)
                .map(RedisTokenBuckets::decision);
    }

    private AsyncBucketProxy proxy(String key, GatewayProperties.Bucket bucket) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(bucket.burstCapacity())
                        .refillGreedy(bucket.replenishRate(), Duration.ofSeconds(1)))
                .build();
        long unsynchronizedTokens = Math.max(1, (long) (bucket.burstCapacity() * unsynchronizedShare));
        return buckets.builder()
                .withOptimization(Optimizations.delaying(new DelayParameters(unsynchronizedTokens, syncInterval)))
                .build(key.getBytes(StandardCharsets.UTF_8), configuration);
    }

    private static Decision decision(ConsumptionProbe probe) {
        if (probe.isConsumed()) {
            return new Decision(true, probe.getRemainingTokens(), 0);
        }
        // a refused request may retry once the missing token is in
        long retryAfterSeconds = Math.max(
                1, (probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        return new Decision(false, probe.getRemainingTokens(), retryAfterSeconds);
    }

    /** Whether the request may pass, the tokens left, and (when refused) how many seconds until it may retry. */
    record Decision(boolean allowed, long remaining, long retryAfterSeconds) {}

    /**
     * Bucket4j's Redis commands on Spring's shared Lettuce connection (standalone or cluster), taken when a command
     * is sent: the gateway starts while Redis is down, and a command then fails at once (fail-open) until Spring
     * connects again.
     */
    private record SharedConnection(LettuceConnectionFactory redis) implements RedisApi<Object> {

        @Override
        public <V> RedisFuture<V> eval(String script, ScriptOutputType type, Object[] keys, byte[][] params) {
            // Bucket4j passes its keys in an Object[]: they are the byte[] keys made by take()
            byte[][] binaryKeys = Arrays.copyOf(keys, keys.length, byte[][].class);
            return send(commands -> commands.eval(script, type, binaryKeys, params));
        }

        @Override
        public RedisFuture<byte[]> get(Object key) {
            return send(commands -> commands.get((byte[]) key));
        }

        @Override
        public RedisFuture<?> delete(Object key) {
            return send(commands -> commands.del((byte[]) key));
        }

        private <V> RedisFuture<V> send(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<V>> command) {
            RedisClusterAsyncCommands<byte[], byte[]> commands;
            try {
                commands = ((LettuceConnection) redis.getConnection()).getNativeConnection();
            } catch (RuntimeException e) {
                AsyncCommand<byte[], byte[], V> failed = new AsyncCommand<>(new Command<>(CommandType.EVAL, null));
                failed.completeExceptionally(e);
                return failed;
            }
            return command.apply(commands);
        }
    }
}
