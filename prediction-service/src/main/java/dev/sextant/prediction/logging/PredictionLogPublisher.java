package dev.sextant.prediction.logging;

import dev.sextant.prediction.PredictionProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes prediction logs to Kafka off the request path. A request only offers its log to a bounded buffer and
 * never waits: when the buffer is full (Kafka slow or away), the log is dropped and counted
 * ({@code sextant.prediction.logs.dropped}). One sender thread serializes and sends, creating the topic first
 * when it is missing; while Kafka is away it waits and retries, and the buffer takes the overflow.
 */
@Component
public class PredictionLogPublisher {

    private static final Logger log = LoggerFactory.getLogger(PredictionLogPublisher.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final KafkaTemplate<String, String> kafka;
    private final KafkaAdmin admin;
    private final JsonMapper json;
    private final NewTopic topic;
    private final BlockingQueue<PredictionLog> buffer;
    private final Counter dropped;
    private final Counter published;
    private final Counter failed;
    private final Thread sender = new Thread(this::sendLoop, "prediction-log-sender");
    private volatile boolean topicReady;
    private volatile boolean running = true;

    PredictionLogPublisher(
            KafkaTemplate<String, String> kafka,
            KafkaAdmin admin,
            JsonMapper json,
            PredictionProperties.Logs settings,
            MeterRegistry meters) {
        this.kafka = kafka;
        this.admin = admin;
        this.json = json;
        this.topic = new NewTopic(settings.topic(), settings.partitions(), (short) -1);
        this.buffer = new ArrayBlockingQueue<>(settings.bufferCapacity());
        this.dropped = Counter.builder("sextant.prediction.logs.dropped")
                .description("Prediction logs dropped because the buffer to Kafka was full")
                .register(meters);
        this.published = Counter.builder("sextant.prediction.logs.published")
                .description("Prediction logs acknowledged by Kafka")
                .register(meters);
        this.failed = Counter.builder("sextant.prediction.logs.failed")
                .description("Prediction logs Kafka did not take (sent, then failed)")
                .register(meters);
        Gauge.builder("sextant.prediction.logs.buffered", buffer, BlockingQueue::size)
                .description("Prediction logs waiting in the buffer for Kafka")
                .register(meters);
    }

    /** Offers a log for publication; never blocks. */
    public void publish(PredictionLog record) {
        if (!buffer.offer(record)) {
            dropped.increment();
        }
    }

    @PostConstruct
    void start() {
        sender.setDaemon(true);
        sender.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        sender.interrupt();
        sender.join(Duration.ofSeconds(5).toMillis());
    }

    private void sendLoop() {
        while (running) {
            try {
                PredictionLog record = buffer.take();
                while (running && !topicReady()) {
                    Thread.sleep(RETRY.toMillis());
                }
                ProducerRecord<String, String> message =
                        new ProducerRecord<>(topic.name(), record.model(), json.writeValueAsString(record));
                if (record.traceparent() != null) {
                    // the trace goes on with the consumers (W3C trace context in a Kafka header)
                    message.headers().add("traceparent", record.traceparent().getBytes(StandardCharsets.US_ASCII));
                }
                if (record.rolloutId() != null) {
                    message.headers()
                            .add(
                                    PredictionLog.ROLLOUT_HEADER,
                                    record.rolloutId().toString().getBytes(StandardCharsets.US_ASCII));
                }
                kafka.send(message)
                        .whenComplete((result, failure) -> (failure == null ? published : failed).increment());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failed.increment();
                log.warn("a prediction log was not sent: {}", e.toString(), e);
            }
        }
    }

    private boolean topicReady() throws InterruptedException {
        if (topicReady) {
            return true;
        }
        Admin client = Admin.create(admin.getConfigurationProperties());
        try {
            client.createTopics(List.of(topic)).all().get(5, TimeUnit.SECONDS);
            log.info("created topic {} with {} partitions", topic.name(), topic.numPartitions());
            topicReady = true;
        } catch (ExecutionException e) {
            topicReady = e.getCause() instanceof TopicExistsException;
            if (!topicReady) {
                log.warn(
                        "prediction logs wait: topic {} not ready: {}",
                        topic.name(),
                        e.getCause().toString());
            }
        } catch (TimeoutException e) {
            log.warn("prediction logs wait: Kafka did not answer within 5 s");
        } finally {
            client.close(Duration.ZERO);
        }
        return topicReady;
    }
}
