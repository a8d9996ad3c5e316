package dev.sextant.testsupport;

import dev.sextant.localservers.LocalServer;

/** A server run as a local process ({@code tools/local-servers}) listening on a fixed loopback port. */
final class ProcessBackend implements ServerBackend {

    private final LocalServer server;

    ProcessBackend(LocalServer server) {
        this.server = server;
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public String describe() {
        return server.describe();
    }
}
