package dev.sextant.testsupport;

/**
 * How one test server runs: a local process or a container. {@link #stop()} followed by {@link #start()}
 * brings the same server back on the same address, so tests can simulate an outage.
 */
interface ServerBackend {

    void start();

    void stop();

    String host();

    int port();

    String describe();
}
