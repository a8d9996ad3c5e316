package dev.sextant.localservers;

import java.nio.file.Path;

/**
 * Runs a Kafka broker for the local platform started by {@code ./sextant start} ({@link KafkaProcess}: KRaft, from
 * the Kafka jars on Maven Central, tuned for a long life), until this process is stopped; its data survives restarts.
 *
 * <p>Usage: {@code java -cp <classpath> dev.sextant.localservers.LocalKafka <port> <directory>}
 */
public final class LocalKafka {

    private LocalKafka() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: LocalKafka <port> <directory>");
            System.exit(2);
        }
        LocalServer broker =
                KafkaProcess.create(Integer.parseInt(args[0]), Path.of(args[1]), KafkaProcess.Lifetime.PLATFORM);
        broker.start();
        System.out.println("Kafka ready at 127.0.0.1:" + broker.port());
        Thread.currentThread().join();
    }
}
