package dev.sextant.localservers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A Kafka broker (KRaft, combined broker and controller) as a local process: Kafka's own {@code kafka.Kafka} main
 * class from the jars on Maven Central, in a JVM of its own whose classpath Maven wrote at build time. Its data and
 * configuration live in one directory and survive restarts.
 */
public final class KafkaProcess {

    private static final String CLASSPATH_RESOURCE = "dev/sextant/localservers/kafka-broker.classpath";

    private KafkaProcess() {}

    /**
     * How the broker's JVM is tuned. A test's broker lives for a test run: C1 only, which starts in a few seconds
     * and is fast enough for a test's traffic. The platform's broker serves every prediction log for hours: C2,
     * which costs seconds of compilation once and then handles a produce request in a fraction of C1's CPU.
     */
    public enum Lifetime {
        TEST("-XX:TieredStopAtLevel=1"),
        PLATFORM("-XX:CICompilerCount=2");

        private final String compiler;

        Lifetime(String compiler) {
            this.compiler = compiler;
        }
    }

    /** A broker on {@code 127.0.0.1:port}, its files in {@code directory} (formatted on first use); not started. */
    public static LocalServer create(int port, Path directory, Lifetime lifetime) {
        Path properties = directory.resolve("server.properties");
        Path logging = directory.resolve("log4j2.properties");
        Path classpath = directory.resolve("classpath.args");
        LocalProcess.createDirectories(directory);
        if (!Files.exists(properties)) {
            LocalProcess.write(properties, serverProperties(port, Ports.free(), directory.resolve("data")));
        }
        LocalProcess.write(
                logging,
                """
                status = error
                appender.console.type = Console
                appender.console.name = console
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n
                rootLogger.level = warn
                rootLogger.appenderRef.console.ref = console
                """);
        LocalProcess.write(classpath, "-cp\n" + brokerClasspath() + "\n");
        List<String> java = javaCommand(classpath, logging, lifetime);

        if (!Files.exists(directory.resolve("data").resolve("meta.properties"))) {
            List<String> format = new ArrayList<>(java);
            format.addAll(List.of(
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                    "-c",
                    properties.toString()));
            LocalProcess.runToCompletion(format, directory.resolve("format.log"), Duration.ofSeconds(60));
        }

        List<String> broker = new ArrayList<>(java);
        broker.addAll(List.of("kafka.Kafka", properties.toString()));
        LocalProcess process = new LocalProcess("kafka", broker, Map.of(), directory.resolve("kafka.log"));
        return new LocalServer(process, port, Duration.ofSeconds(60), () -> awaitReady(port));
    }

    private static String serverProperties(int port, int controllerPort, Path dataDirectory) {
        return String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDirectory,
                "num.partitions=1",
                // As in production: every topic is created on purpose, by the service that owns it, with its
                // partitions; an accidental client request cannot create one with the wrong count.
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.flush.interval.messages=9223372036854775807",
                "");
    }

    private static List<String> javaCommand(Path classpathArgs, Path logging, Lifetime lifetime) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(
                java,
                "-Xms128m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                lifetime.compiler,
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + logging,
                "@" + classpathArgs);
    }

    private static String brokerClasspath() {
        try (InputStream in = KafkaProcess.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        CLASSPATH_RESOURCE + " is missing: build tools/local-servers with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitReady(int port) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                            .nodes()
                            .get(4, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    LocalProcess.sleep(Duration.ofMillis(100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                }
            }
        }
        throw new IllegalStateException("Kafka on port " + port + " did not become ready within 60s");
    }
}
