package dev.sextant.testinfra;

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
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Kafka broker (KRaft, combined broker and controller) for tests. Without Docker it is Kafka's own
 * {@code kafka.Kafka} main class from the jars on Maven Central, run in a separate JVM; with Docker it is the
 * {@code apache/kafka} image. {@link #shared()} is started once per JVM and reused by every test class.
 */
public final class KafkaBroker extends TestServer {

    static final String IMAGE = "apache/kafka:4.1.2";
    private static final String CLASSPATH_RESOURCE = "dev/sextant/testinfra/kafka-broker.classpath";
    private static volatile KafkaBroker shared;

    private KafkaBroker(ServerBackend backend) {
        super(backend);
    }

    /** The broker shared by all tests in this JVM; never stop it, use {@link #startDedicated()} for that. */
    public static KafkaBroker shared() {
        if (shared == null) {
            synchronized (KafkaBroker.class) {
                if (shared == null) {
                    shared = startDedicated();
                }
            }
        }
        return shared;
    }

    /** A broker that the calling test owns, may stop and restart, and closes. */
    public static KafkaBroker startDedicated() {
        return startDedicated(Ports.free());
    }

    /**
     * A broker on a chosen port (local processes only; with Docker the port is mapped), so that a service can
     * be configured with an address before the broker exists.
     */
    public static KafkaBroker startDedicated(int port) {
        if (Docker.available()) {
            return new KafkaBroker(new ContainerBackend(
                    new KafkaContainer(DockerImageName.parse(IMAGE))
                            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false"),
                    9092));
        }
        return new KafkaBroker(processBackend(port, LocalProcess.temporaryDirectory("sextant-kafka"), Lifetime.TEST));
    }

    /**
     * A broker run as a local process whose data and configuration live in {@code directory} and survive
     * restarts: the local platform's broker ({@link LocalKafka}).
     */
    static KafkaBroker startLocalProcess(int port, Path directory) {
        return new KafkaBroker(processBackend(port, directory, Lifetime.PLATFORM));
    }

    /**
     * How the broker's JVM is tuned. A test's broker lives for a test run: C1 only, which starts in a few seconds
     * and is fast enough for a test's traffic. The platform's broker serves every prediction log for hours: C2,
     * which costs seconds of compilation once and then handles a produce request in a fraction of C1's CPU.
     */
    enum Lifetime {
        TEST("-XX:TieredStopAtLevel=1"),
        PLATFORM("-XX:CICompilerCount=2");

        private final String compiler;

        Lifetime(String compiler) {
            this.compiler = compiler;
        }
    }

    /** {@code host:port}, the form of {@code spring.kafka.bootstrap-servers}. */
    public String bootstrapServers() {
        if (backend instanceof ContainerBackend container) {
            return ((KafkaContainer) container.container()).getBootstrapServers();
        }
        return backend.host() + ":" + backend.port();
    }

    /**
     * The first record of {@code topic}, read from its beginning by a new consumer group, that {@code matches}
     * accepts; fails the test when none arrives within {@code timeout}.
     */
    public ConsumerRecord<String, String> awaitRecord(
            String topic, Predicate<ConsumerRecord<String, String>> matches, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = fromTheBeginning(topic)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (matches.test(record)) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no matching record on " + topic + " within " + timeout);
    }

    /**
     * The records of {@code topic} from its beginning, read by a new consumer group until {@code count} have
     * arrived; fails the test when fewer arrive within {@code timeout}.
     */
    public List<ConsumerRecord<String, String>> awaitRecords(String topic, int count, Duration timeout) {
        return awaitRecords(topic, records -> records.size() >= count, count + " records", timeout);
    }

    /**
     * The records of {@code topic} from its beginning, read by a new consumer group until those read so far are
     * {@code enough}; fails the test, naming {@code what} was awaited, when they are not within {@code timeout}.
     */
    public List<ConsumerRecord<String, String>> awaitRecords(
            String topic, Predicate<List<ConsumerRecord<String, String>>> enough, String what, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = fromTheBeginning(topic)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!enough.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        if (!enough.test(records)) {
            throw new AssertionError(records.size() + " records on " + topic + " within " + timeout + ", not " + what);
        }
        return records;
    }

    /** Whether every one of these topics exists (a service creates its topics at startup); false when unsure. */
    public boolean topicsExist(String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(List.of(topics));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** A consumer of {@code topic} in a new group, reading from its beginning. */
    private KafkaConsumer<String, String> fromTheBeginning(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers() + " (" + backend.describe() + ")";
    }

    private static ServerBackend processBackend(int port, Path directory, Lifetime lifetime) {
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
        return new ProcessBackend(process, port, Duration.ofSeconds(60), () -> awaitReady(port));
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
        try (InputStream in = KafkaBroker.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        CLASSPATH_RESOURCE + " is missing: build test-infrastructure with Maven");
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
