package dev.sextant.localservers;

import java.nio.file.Path;

/**
 * Runs Redis for the local platform started by {@code ./sextant start} ({@link RedisProcess}: the machine's
 * {@code redis-server}, else the binary from Maven Central), until this process is stopped.
 *
 * <p>Usage: {@code java -cp <classpath> dev.sextant.localservers.LocalRedis <port> <directory>}
 */
public final class LocalRedis {

    private LocalRedis() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: LocalRedis <port> <directory>");
            System.exit(2);
        }
        LocalServer redis = RedisProcess.create(Integer.parseInt(args[0]), Path.of(args[1]));
        redis.start();
        System.out.println("Redis ready at redis://127.0.0.1:" + redis.port());
        Thread.currentThread().join();
    }
}
