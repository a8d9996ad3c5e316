package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Writes rows of one view online through {@link RedisLayout#WRITE_SCRIPT}, pipelined. Rows are validated
 * first, all of them, so a bad batch writes nothing. A row older than the stored one is skipped by Redis
 * itself, atomically, so concurrent and out-of-order writers cannot regress a value.
 */
public final class OnlineFeatureWriter {

    private final OnlineStoreConnection store;
    private final Duration timeout;
    private final Duration expiryGrace;

    public OnlineFeatureWriter(OnlineStoreConnection store, Duration timeout, Duration expiryGrace) {
        this.store = store;
        this.timeout = timeout;
        this.expiryGrace = expiryGrace;
    }

    /** How many rows were written, and how many were skipped because a newer row was stored. */
    public record WriteResult(int written, int skippedAsOlder) {}

    public WriteResult write(FeatureView view, List<FeatureRow> rows) {
        FeatureRow.validate(view, rows);
        RedisAsyncCommands<String, String> redis = store.get().async();
        List<RedisFuture<Long>> results = new ArrayList<>(rows.size());
        try {
            for (FeatureRow row : rows) {
                String key = RedisLayout.key(
                        view,
                        view.joinKeys().stream()
                                .map(joinKey -> keyValue(joinKey, row.keys().get(joinKey.name())))
                                .toList());
                String[] arguments = RedisLayout.writeArguments(view, row.eventTime(), row.values(), expiryGrace)
                        .toArray(String[]::new);
                results.add(
                        redis.eval(RedisLayout.WRITE_SCRIPT, ScriptOutputType.INTEGER, new String[] {key}, arguments));
            }
            if (!LettuceFutures.awaitAll(
                    timeout.toMillis(), TimeUnit.MILLISECONDS, results.toArray(RedisFuture[]::new))) {
                throw new OnlineStoreUnavailableException("the online store did not answer within " + timeout, null);
            }
            int written = 0;
            for (RedisFuture<Long> result : results) {
                written += result.get().intValue();
            }
            return new WriteResult(written, rows.size() - written);
        } catch (RedisException | ExecutionException e) {
            throw new OnlineStoreUnavailableException("the online store is unavailable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OnlineStoreUnavailableException("interrupted while writing the online store", e);
        }
    }

    private static Object keyValue(JoinKey joinKey, Object value) {
        return joinKey.type() == ValueType.INT64 ? ((Number) value).longValue() : value;
    }
}
