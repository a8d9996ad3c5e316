package dev.sextant.testinfra;

import java.time.Duration;

/** A server run as a local child process listening on a fixed loopback port. */
final class ProcessBackend implements ServerBackend {

    private final LocalProcess process;
    private final int port;
    private final Duration startTimeout;
    private final Runnable afterStart;

    ProcessBackend(LocalProcess process, int port, Duration startTimeout, Runnable afterStart) {
        this.process = process;
        this.port = port;
        this.startTimeout = startTimeout;
        this.afterStart = afterStart;
    }

    @Override
    public void start() {
        process.start(port, startTimeout);
        afterStart.run();
    }

    @Override
    public void stop() {
        process.stop();
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String describe() {
        return "local process on port " + port + " (log: " + process.logFile() + ")";
    }
}
