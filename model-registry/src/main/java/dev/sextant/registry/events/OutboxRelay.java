package dev.sextant.registry.events;

import dev.sextant.registry.RegistryProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Publishes outbox events to Kafka in outbox order. Only the registry instance holding the lease relays, so
 * replicas do not interleave. An event is marked published only after the broker acknowledged it (acks=all,
 * idempotent producer); when Kafka is down the relay stops at the first failure and retries on the next
 * pass, so nothing is lost and order is kept. Published events are deleted after the retention period.
 *
 * <p>The relay creates the events topic before its first publication when it is missing (brokers in production,
 * and ours, do not auto-create topics), and retries that on every pass while Kafka is unreachable.
 */
@Component
class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);
    /** As long as the producer waits for metadata (max.block.ms), so an outage is reported as soon. */
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(5);

    private final OutboxRepository outbox;
    private final KafkaTemplate<String, String> kafka;
    private final KafkaAdmin admin;
    private final NewTopic topic;
    private final RegistryProperties.Events settings;
    private final Clock clock;
    private final String instanceId = UUID.randomUUID().toString();
    private final Counter published;
    private final Counter failures;
    private final AtomicLong pendingGauge = new AtomicLong();
    private volatile Instant lastCleanup = Instant.EPOCH;
    private volatile boolean databaseUnavailable;
    private volatile boolean topicReady;

    OutboxRelay(
            OutboxRepository outbox,
            KafkaTemplate<String, String> kafka,
            KafkaAdmin admin,
            RegistryProperties.Events settings,
            Clock clock,
            MeterRegistry meters) {
        this.outbox = outbox;
        this.kafka = kafka;
        this.admin = admin;
        this.settings = settings;
        this.topic = TopicBuilder.name(settings.topic())
                .partitions(settings.partitions())
                .build();
        this.clock = clock;
        this.published = Counter.builder("sextant.registry.events.published")
                .description("Model events acknowledged by Kafka")
                .register(meters);
        this.failures = Counter.builder("sextant.registry.events.publish.failures")
                .description("Failed attempts to publish a model event")
                .register(meters);
        Gauge.builder("sextant.registry.events.pending", pendingGauge, AtomicLong::get)
                .description("Model events committed but not yet acknowledged by Kafka")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${sextant.registry.events.relay-interval}")
    void relay() {
        try {
            relayPending();
            if (databaseUnavailable) {
                databaseUnavailable = false;
                log.info("model event relay resumed: the metadata database is reachable again");
            }
        } catch (DataAccessException | TransactionException e) {
            if (!databaseUnavailable) {
                databaseUnavailable = true;
                log.warn("model event relay paused: the metadata database is unavailable ({})", e.toString());
            }
        }
    }

    private void relayPending() {
        Instant now = clock.instant();
        if (!outbox.acquireLease(instanceId, now, settings.leaseDuration())) {
            return;
        }
        for (OutboxRepository.PendingEvent event : outbox.pending(settings.batchSize())) {
            if (!topicReady(event) || !publish(event)) {
                break;
            }
        }
        pendingGauge.set(outbox.backlog().pending());
        if (now.isAfter(lastCleanup.plus(Duration.ofMinutes(10)))) {
            int deleted = outbox.deletePublishedBefore(now.minus(settings.retention()));
            lastCleanup = now;
            log.debug("deleted {} published events past retention", deleted);
        }
    }

    /** Whether the events topic exists, creating it when missing (once it has been seen, never asked again). */
    private boolean topicReady(OutboxRepository.PendingEvent next) {
        if (topicReady) {
            return true;
        }
        Admin client = Admin.create(admin.getConfigurationProperties());
        try {
            client.createTopics(List.of(topic)).all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("created topic {} with {} partitions", topic.name(), topic.numPartitions());
            topicReady = true;
        } catch (ExecutionException e) {
            topicReady = e.getCause() instanceof TopicExistsException;
            if (!topicReady) {
                topicFailure(next, e.getCause());
            }
        } catch (TimeoutException e) {
            topicFailure(next, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close(Duration.ZERO);
        }
        return topicReady;
    }

    private void topicFailure(OutboxRepository.PendingEvent next, Throwable cause) {
        failures.increment();
        outbox.recordFailure(next.id(), "topic " + topic.name() + " not ready: " + cause);
        log.warn(
                "model event {} not published yet, will retry: topic {} not ready: {}",
                next.id(),
                topic.name(),
                cause.toString());
    }

    private boolean publish(OutboxRepository.PendingEvent event) {
        try {
            kafka.send(new ProducerRecord<>(event.topic(), event.key(), event.payload()))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            outbox.markPublished(event.id(), clock.instant());
            published.increment();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            failures.increment();
            outbox.recordFailure(event.id(), cause.getClass().getSimpleName() + ": " + cause.getMessage());
            log.warn("model event {} not published yet, will retry: {}", event.id(), cause.toString());
            return false;
        }
    }
}
