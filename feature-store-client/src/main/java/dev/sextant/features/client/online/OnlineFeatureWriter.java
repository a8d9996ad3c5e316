package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.FeatureView;
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
 * Redis has lost it), all rows of a call written and flushed together as one pipeline. Rows are valid by
 * construction ({@link FeatureRow}), so a caller that builds a batch before writing it writes nothing of a bad
 * one. A row older than the stored one is skipped by Redis
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

    /**
     * Writes rows of {@code view}: made by {@link FeatureRow#checked} from a caller's input, or computed from
     * the view's definition.
     */
    public WriteResult write(FeatureView view, List<FeatureRow> rows) {
        for (FeatureRow row : rows) {
            if (row.view() != view) {
                throw new IllegalArgumentException(
                        "a row of view " + row.view().name() + " cannot be written to view " + view.name());
            }
        }
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
            // Raw bytes throughout (the key is a plain argument: one connection, no cluster slot to compute).
            CommandArgs<String, String> arguments = new CommandArgs<>(StringCodec.UTF8)
                    .add(scriptSha1)
                    .add(1)
                    .add(RedisLayout.key(view, row.keyValues()).getBytes(StandardCharsets.UTF_8));
            for (byte[] argument : RedisLayout.writeArguments(row, expiryGrace)) {
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
}
