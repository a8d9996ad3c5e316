package dev.sextant.testsupport;

import dev.sextant.localservers.KafkaProcess;
import dev.sextant.localservers.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Kafka broker (KRaft, combined broker and controller) for tests. Without Docker it is a {@link KafkaProcess}
 * (Kafka's own broker from the jars on Maven Central, in a JVM of its own); with Docker it is the {@code apache/kafka}
 * image. {@link #shared()} is started once per JVM and reused by every test class.
 */
public final class KafkaBroker extends TestServer {

    static final String IMAGE = "apache/kafka:4.1.2";
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
        return new KafkaBroker(
                new ProcessBackend(KafkaProcess.create(port, temporaryDirectory(), KafkaProcess.Lifetime.TEST)));
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

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("sextant-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
