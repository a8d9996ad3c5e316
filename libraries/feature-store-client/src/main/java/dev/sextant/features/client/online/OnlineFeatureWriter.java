package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.FeatureView;
import io.lettuce.core.RedisException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes rows of one view online through {@link RedisLayout#WRITE_SCRIPT} (by its SHA-1, loaded again when
 * Redis has lost it), several rows per script call and all calls written and flushed together as one pipeline. Rows are valid by
 * construction ({@link FeatureRow}), so a caller that builds a batch before writing it writes nothing of a bad
 * one. A row older than the stored one is skipped by Redis
 * itself, atomically, so concurrent and out-of-order writers cannot regress a value.
 */
public final class OnlineFeatureWriter {

    /**
     * Rows per script call: enough to spread the call's own cost thin, few enough that one call holds Redis (which
     * runs a script alone) for about a third of a millisecond, not the length of a whole batch.
     */
    static final int ROWS_PER_CALL = 64;

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
     * Writes rows of {@code view} and waits for Redis to answer: {@link #writeAsync} and {@link Write#await}.
     * Rows are made by {@link FeatureRow#checked} from a caller's input, or computed from the view's definition.
     */
    public WriteResult write(FeatureView view, List<FeatureRow> rows) {
        return writeAsync(view, rows).await();
    }

    /**
     * Sends rows of {@code view} as one pipeline without waiting for Redis: the caller goes on working while they
     * are encoded, sent and applied, and collects the outcome with {@link Write#await} (the streaming sink keeps
     * one batch in flight this way, instead of its thread idling for every round trip).
     */
    public Write writeAsync(FeatureView view, List<FeatureRow> rows) {
        for (FeatureRow row : rows) {
            if (row.view() != view) {
                throw new IllegalArgumentException(
                        "a row of view " + row.view().name() + " cannot be written to view " + view.name());
            }
        }
        return new Write(view, rows, send(view, rows));
    }

    /** Rows sent to Redis: their outcome, once it answers. */
    public final class Write {

        private final FeatureView view;
        private final List<FeatureRow> rows;
        private final CompletableFuture<WriteResult> result;

        private Write(FeatureView view, List<FeatureRow> rows, CompletableFuture<WriteResult> result) {
            this.view = view;
            this.rows = rows;
            this.result = result;
        }

        /** Completes on the connection's thread when Redis has answered every row (exceptionally on a fault). */
        public CompletableFuture<WriteResult> completion() {
            return result;
        }

        /**
         * Waits up to the writer's timeout for the outcome. When Redis has lost the script (it restarted, or its
         * script cache was flushed) the script is loaded again and the rows are written again, which is
         * idempotent. Any other fault is an {@link OnlineStoreUnavailableException}.
         */
        public WriteResult await() {
            try {
                return outcome(result);
            } catch (RedisNoScriptException e) {
                try {
                    store.get().sync().scriptLoad(RedisLayout.WRITE_SCRIPT);
                } catch (RedisException failed) {
                    throw new OnlineStoreUnavailableException(
                            "the online store is unavailable: " + failed.getMessage(), failed);
                }
                return outcome(send(view, rows));
            }
        }

        private WriteResult outcome(CompletableFuture<WriteResult> outcome) {
            try {
                return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new OnlineStoreUnavailableException("the online store did not answer within " + timeout, null);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisNoScriptException noScript) {
                    throw noScript;
                }
                if (e.getCause() instanceof OnlineStoreUnavailableException unavailable) {
                    throw unavailable;
                }
                throw new OnlineStoreUnavailableException(
                        "the online store is unavailable: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OnlineStoreUnavailableException("interrupted while writing the online store", e);
            }
        }
    }

    /**
     * Sends the rows as one pipeline of {@link RedisLayout#WRITE_SCRIPT} calls of up to {@link #ROWS_PER_CALL}
     * rows each; the outcome completes when Redis has answered them all.
     */
    private CompletableFuture<WriteResult> send(FeatureView view, List<FeatureRow> rows) {
        byte[] scriptSha1 = RedisLayout.WRITE_SCRIPT_SHA1.getBytes(StandardCharsets.US_ASCII);
        List<Command<String, String, Long>> commands = new ArrayList<>(rows.size() / ROWS_PER_CALL + 1);
        for (int from = 0; from < rows.size(); from += ROWS_PER_CALL) {
            List<FeatureRow> call = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_CALL));
            // Raw bytes throughout (keys are plain arguments: one connection, no cluster slot to compute).
            CommandArgs<String, String> arguments =
                    new CommandArgs<>(StringCodec.UTF8).add(scriptSha1).add(call.size());
            for (FeatureRow row : call) {
                arguments.add(RedisLayout.key(view, row.keyValues()).getBytes(StandardCharsets.UTF_8));
            }
            for (FeatureRow row : call) {
                for (byte[] argument : RedisLayout.writeArguments(row, expiryGrace)) {
                    arguments.add(argument);
                }
            }
            commands.add(new Command<>(CommandType.EVALSHA, new IntegerOutput<>(StringCodec.UTF8), arguments));
        }
        List<AsyncCommand<String, String, Long>> results;
        try {
            results = store.pipeline(commands);
        } catch (OnlineStoreUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RedisException e) {
            return CompletableFuture.failedFuture(
                    new OnlineStoreUnavailableException("the online store is unavailable: " + e.getMessage(), e));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    int written = 0;
                    for (AsyncCommand<String, String, Long> result : results) {
                        written += result.join().intValue();
                    }
                    return new WriteResult(written, rows.size() - written);
                });
    }
}
