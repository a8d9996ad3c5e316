package dev.sextant.testsupport;

/**
 * A real server started for tests: where it listens, and how a test takes it away and brings it back on the
 * same address to simulate an outage.
 */
public abstract class TestServer implements AutoCloseable {

    final ServerBackend backend;

    TestServer(ServerBackend backend) {
        this.backend = backend;
        backend.start();
    }

    public String host() {
        return backend.host();
    }

    public int port() {
        return backend.port();
    }

    /** Takes the server away (connections are refused or hang) until {@link #start()}. */
    public void stop() {
        backend.stop();
    }

    /** Brings a stopped server back on the same address. */
    public void start() {
        backend.start();
    }

    @Override
    public void close() {
        backend.stop();
    }
}
