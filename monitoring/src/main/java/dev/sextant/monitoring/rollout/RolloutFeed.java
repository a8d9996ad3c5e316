package dev.sextant.monitoring.rollout;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.ingest.PredictionLogParser;
import dev.sextant.monitoring.reference.ReferenceProfiles;
import dev.sextant.registry.client.rollout.Rollout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feeds {@link RolloutEvidence} from {@code prediction-logs.v1} and {@code labels.v1} with a consumer of its own: no
 * group and no committed offsets, every partition of both topics assigned. When monitoring starts it asks the
 * registry for the running and paused rollouts and reads both topics from the earliest one's start (or now when none
 * runs), less a minute for the producers' clocks, so after a restart each running rollout's evidence is
 * read again whole, and the controller waits until the feed has caught up ({@link RolloutEvidence#catchingUp}).
 * What the records are to the evidence is {@link RolloutRecords}'; labels are read no further ahead than the logs (by
 * record time, {@link ReadPositions}), so a label finds its prediction already read. Evidence older than the topics' retention
 * cannot be read again; a rollout's {@code first_seen} says from when its evidence counts.
 */
class RolloutFeed implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(RolloutFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How far before a rollout's start (the registry's clock) its first logs may be stamped (the producers'). */
    private static final Duration SKEW = Duration.ofMinutes(1);
    /** How long a log may take from its record time to a caught-up reader: a label older than that finds it read. */
    private static final Duration IN_FLIGHT = Duration.ofSeconds(5);
    /** How often the topics' partitions are looked up again (a topic created, partitions added). */
    private static final Duration PARTITIONS = Duration.ofSeconds(30);

    private final RolloutEvidence evidence;
    private final RegistryRollouts registry;
    private final RolloutRecords records;
    private final Map<String, Object> properties;
    private final String logsTopic;
    private final String labelsTopic;
    private final Duration retry;
    private final Clock clock;
    private final ReadPositions positions = new ReadPositions();
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Instant readFrom;
    private volatile String failure;
    private Thread thread;

    RolloutFeed(
            RolloutEvidence evidence,
            RegistryRollouts registry,
            ReferenceProfiles references,
            JsonMapper json,
            Map<String, Object> consumerSettings,
            MonitoringProperties.Topics topics,
            MonitoringProperties.Performance performance,
            MonitoringProperties.Rollouts rollouts,
            Clock clock) {
        this.evidence = evidence;
        this.registry = registry;
        this.properties = new HashMap<>(consumerSettings);
        // never a member of monitoring's groups: positions of its own, nothing committed
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "monitoring-rollout-feed");
        this.logsTopic = topics.logs();
        this.labelsTopic = performance.labelsTopic();
        this.retry = rollouts.interval();
        this.clock = clock;
        this.records = new RolloutRecords(
                evidence, new PredictionLogParser(json, references::of), json, rollouts.maxPendingPredictions());
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "rollout-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        try {
            Instant from = from();
            try (KafkaConsumer<byte[], byte[]> reading =
                    new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer = reading;
                while (!started(reading, from)) {
                    Thread.sleep(retry.toMillis());
                }
                readFrom = from;
                log.info("rollout evidence read from {} on", from);
                Instant looked = clock.instant();
                while (running) {
                    try {
                        poll(reading);
                        if (clock.instant().isAfter(looked.plus(PARTITIONS))) {
                            positions.refresh(reading, from);
                            looked = clock.instant();
                        }
                        failure = null;
                    } catch (KafkaException e) {
                        if (e instanceof WakeupException && !running) {
                            return;
                        }
                        // the consumer keeps its positions: the next poll goes on from them
                        failure = e.toString();
                        log.warn("the rollout feed cannot read: {}; retrying in {}", e, retry);
                        Thread.sleep(retry.toMillis());
                    }
                }
            }
        } catch (InterruptedException | WakeupException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e.toString();
            log.error("the rollout feed stopped: the rollouts' evidence no longer grows", e);
        }
    }

    /** Assigns and positions every partition; false (to try again) when Kafka cannot say where they are. */
    private boolean started(KafkaConsumer<byte[], byte[]> reading, Instant from) {
        if (!running) {
            throw new WakeupException();
        }
        try {
            positions.start(reading, logsTopic, labelsTopic, from);
            return true;
        } catch (KafkaException e) {
            if (e instanceof WakeupException) {
                throw e;
            }
            failure = e.toString();
            log.warn("the rollout feed cannot find its partitions: {}; retrying in {}", e, retry);
            return false;
        }
    }

    private void poll(KafkaConsumer<byte[], byte[]> reading) {
        for (ConsumerRecord<byte[], byte[]> record : reading.poll(POLL)) {
            positions.read(record);
            try {
                if (record.topic().equals(logsTopic)) {
                    records.logged(record);
                } else {
                    records.labelled(record, positions.logsTime());
                }
            } catch (RuntimeException e) {
                // one record is never the feed's end: the main listeners dead-letter what they cannot process
                log.warn(
                        "rollout feed: {}-{}@{} skipped: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.toString());
            }
        }
        positions.align(reading, clock.instant().minus(IN_FLIGHT));
        if (evidence.catchingUp() && positions.caughtUp(reading)) {
            evidence.caughtUp();
            log.info("rollout evidence caught up with the logs and labels");
        }
    }

    /**
     * {@code rolloutFeed} in /actuator/health: down while it cannot read (or has stopped), so the dashboard shows it;
     * not part of readiness or liveness.
     */
    @Override
    public Health health() {
        Health.Builder health = failure == null ? Health.up() : Health.down().withDetail("error", failure);
        return health.withDetail("catching_up", evidence.catchingUp())
                .withDetail("read_from", String.valueOf(readFrom))
                .build();
    }

    /**
     * Where to read from: the earliest running rollout's start, now when none runs, less {@link #SKEW}; asks until the
     * registry says.
     */
    private Instant from() throws InterruptedException {
        while (running) {
            Optional<List<Rollout>> active = registry.active();
            if (active.isPresent()) {
                return active.get().stream()
                        .map(Rollout::createdAt)
                        .filter(at -> at != null)
                        .min(Comparator.naturalOrder())
                        .orElseGet(clock::instant)
                        .minus(SKEW);
            }
            Thread.sleep(retry.toMillis());
        }
        throw new InterruptedException("stopped");
    }

    @Override
    public int getPhase() {
        // started after the web server and the listeners, stopped before them
        return Integer.MAX_VALUE - 1;
    }
}
