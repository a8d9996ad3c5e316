package dev.sextant.testinfra;

import java.nio.file.Path;

/**
 * Runs the tests' Kafka broker (KRaft, from the Kafka jars on Maven Central) for the local platform started
 * by {@code ./sextant start}, until this process is stopped; the broker's data survives restarts.
 *
 * <p>Usage: {@code java -cp <classpath> dev.sextant.testinfra.LocalKafka <port> <directory>}
 */
public final class LocalKafka {

    private LocalKafka() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: LocalKafka <port> <directory>");
            System.exit(2);
        }
        KafkaBroker broker = KafkaBroker.startLocalProcess(Integer.parseInt(args[0]), Path.of(args[1]));
        System.out.println("Kafka ready at " + broker.bootstrapServers());
        Thread.currentThread().join();
    }
}
