package dev.sextant.testinfra;

import java.nio.file.Path;

/**
 * Runs the tests' Redis (the machine's {@code redis-server}, else the binary from Maven Central) for the local
 * platform started by {@code ./sextant start}, until this process is stopped.
 *
 * <p>Usage: {@code java -cp <classpath> dev.sextant.testinfra.LocalRedis <port> <directory>}
 */
public final class LocalRedis {

    private LocalRedis() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: LocalRedis <port> <directory>");
            System.exit(2);
        }
        RedisServer redis = RedisServer.startLocalProcess(Integer.parseInt(args[0]), Path.of(args[1]));
        System.out.println("Redis ready at " + redis.url());
        Thread.currentThread().join();
    }
}
