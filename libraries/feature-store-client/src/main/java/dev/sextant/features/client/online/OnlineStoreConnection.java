package dev.sextant.features.client.online;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one Lettuce connection to the online store, shared by all threads (Lettuce connections are thread-safe
 * and pipeline concurrent commands). Connects lazily, so its owner starts while Redis is down; once connected
 * it reconnects by itself, and while disconnected commands fail at once instead of queueing, so callers
 * answer "unavailable" fast and nothing piles up.
 */
public final class OnlineStoreConnection implements AutoCloseable {

    private final RedisClient client;
    private final RedisURI uri;
    private volatile StatefulRedisConnection<String, String> connection;

    public OnlineStoreConnection(String redisUrl, Duration commandTimeout) {
        this.uri = RedisURI.create(redisUrl);
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(commandTimeout.multipliedBy(4))
                        .keepAlive(true)
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
    }

    /** The connection, connecting first if needed. */
    public StatefulRedisConnection<String, String> get() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (connection == null) {
                try {
                    connection = client.connect(uri);
                } catch (RedisException e) {
                    throw new OnlineStoreUnavailableException(
                            "the online store (Redis at " + uri.getHost() + ":" + uri.getPort() + ") is unreachable",
                            e);
                }
            }
            return connection;
        }
    }

    /**
     * Sends commands as one pipeline: written and flushed together, one system call and one event-loop turn for
     * the lot instead of one per command. Answers a future per command, in order.
     */
    public <T> List<AsyncCommand<String, String, T>> pipeline(List<Command<String, String, T>> commands) {
        List<AsyncCommand<String, String, T>> futures = new ArrayList<>(commands.size());
        for (Command<String, String, T> command : commands) {
            futures.add(new AsyncCommand<>(command));
        }
        get().dispatch(futures);
        return futures;
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown();
    }
}
