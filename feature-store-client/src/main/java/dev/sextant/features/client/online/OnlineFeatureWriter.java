package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.ValueType;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Writes rows of one view online through {@link RedisLayout#WRITE_SCRIPT} (by its SHA-1, loaded again when
 * Redis has lost it), all rows of a call written and flushed together as one pipeline. Rows are validated
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
        return writeValidated(view, rows);
    }

    /**
     * Writes rows that are valid by construction (computed from the view's definition, like the streaming
     * aggregates), skipping the per-value checks of {@link #write}.
     */
    public WriteResult writeValidated(FeatureView view, List<FeatureRow> rows) {
        try {
            return send(view, rows);
        } catch (RedisNoScriptException e) {
            // Redis restarted or its script cache was flushed: load the script once and write again (idempotent).
            try {
                store.get().sync().scriptLoad(RedisLayout.WRITE_SCRIPT);
            } catch (RedisException failed) {
                throw new OnlineStoreUnavailableException(
                        "the online store is unavailable: " + failed.getMessage(), failed);
            }
            return send(view, rows);
        }
    }

    private WriteResult send(FeatureView view, List<FeatureRow> rows) {
        List<Command<String, String, Long>> commands = new ArrayList<>(rows.size());
        byte[] scriptSha1 = RedisLayout.WRITE_SCRIPT_SHA1.getBytes(StandardCharsets.US_ASCII);
        for (FeatureRow row : rows) {
            List<Object> keyValues = new ArrayList<>(view.joinKeys().size());
            for (JoinKey joinKey : view.joinKeys()) {
                keyValues.add(keyValue(joinKey, row.keys().get(joinKey.name())));
            }
            // Raw bytes throughout (the key is a plain argument: one connection, no cluster slot to compute).
            CommandArgs<String, String> arguments = new CommandArgs<>(StringCodec.UTF8)
                    .add(scriptSha1)
                    .add(1)
                    .add(RedisLayout.key(view, keyValues).getBytes(StandardCharsets.UTF_8));
            for (byte[] argument : RedisLayout.writeArguments(view, row.eventTime(), row.values(), expiryGrace)) {
                arguments.add(argument);
            }
            commands.add(new Command<>(CommandType.EVALSHA, new IntegerOutput<>(StringCodec.UTF8), arguments));
        }
        try {
            List<AsyncCommand<String, String, Long>> results = store.pipeline(commands);
            if (!LettuceFutures.awaitAll(
                    timeout.toMillis(), TimeUnit.MILLISECONDS, results.toArray(RedisFuture[]::new))) {
                throw new OnlineStoreUnavailableException("the online store did not answer within " + timeout, null);
            }
            int written = 0;
            for (AsyncCommand<String, String, Long> result : results) {
                written += result.get().intValue();
            }
            return new WriteResult(written, rows.size() - written);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisNoScriptException noScript) {
                throw noScript;
            }
            throw new OnlineStoreUnavailableException("the online store is unavailable: " + e.getMessage(), e);
        } catch (RedisNoScriptException e) {
            throw e;
        } catch (RedisException e) {
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
