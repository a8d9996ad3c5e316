package dev.sextant.localservers;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server run as a local process on a fixed loopback port: Kafka ({@link KafkaProcess}), Redis ({@link
 * RedisProcess}) or PostgreSQL ({@link PostgresProcess}). {@link #stop()} then {@link #start()} brings it back on
 * the same port with the data it had. Not started until {@link #start()}.
 */
public final class LocalServer {

    private final LocalProcess process;
    private final int port;
    private final Duration startTimeout;
    private final Runnable awaitReady;

    LocalServer(LocalProcess process, int port, Duration startTimeout, Runnable awaitReady) {
        this.process = process;
        this.port = port;
        this.startTimeout = startTimeout;
        this.awaitReady = awaitReady;
    }

    /** Starts the process (unless it runs) and returns once it listens and answers as the server it is. */
    public void start() {
        process.start(port, startTimeout);
        awaitReady.run();
    }

    /** Stops the process: gracefully, then forcibly after 20 s. */
    public void stop() {
        process.stop();
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return process.logFile();
    }

    public String describe() {
        return "local process on port " + port + " (log: " + process.logFile() + ")";
    }
}
