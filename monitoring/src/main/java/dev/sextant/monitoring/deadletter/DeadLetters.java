package dev.sextant.monitoring.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Where a record that monitoring cannot process goes: its topic's dead-letter topic, the value as it came, with
 * headers that say why ({@value #ERROR}), where it came from ({@value #SOURCE}, {@code topic-partition@offset})
 * and who gave up on it ({@value #CONSUMER}). The send is waited for, so a record is never both skipped and lost:
 * when Kafka cannot take it, the exception fails the batch, which the container retries.
 */
@Component
public class DeadLetters {

    public static final String ERROR = "sextant-error";
    public static final String SOURCE = "sextant-source";
    public static final String CONSUMER = "sextant-consumer";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final KafkaTemplate<String, String> kafka;

    DeadLetters(KafkaTemplate<String, String> kafka) {
        this.kafka = kafka;
    }

    /** Sends the record to {@code topic} with the reason, and waits for the broker's acknowledgement. */
    public void send(String topic, String consumer, ConsumerRecord<String, ?> record, String reason)
            throws InterruptedException, ExecutionException, TimeoutException {
        Object raw = record.value();
        String value = raw instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : (String) raw;
        ProducerRecord<String, String> dead = new ProducerRecord<>(topic, record.key(), value);
        dead.headers().add(ERROR, reason.getBytes(StandardCharsets.UTF_8));
        dead.headers()
                .add(
                        SOURCE,
                        (record.topic() + "-" + record.partition() + "@" + record.offset())
                                .getBytes(StandardCharsets.UTF_8));
        dead.headers().add(CONSUMER, consumer.getBytes(StandardCharsets.UTF_8));
        kafka.send(dead).get(10, TimeUnit.SECONDS);
        log.warn(
                "{} at {}-{} offset {} dead-lettered to {}: {}",
                consumer,
                record.topic(),
                record.partition(),
                record.offset(),
                topic,
                reason);
    }

    /** The reason to give for an exception: its message, or its type when it has none. */
    public static String reason(RuntimeException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }
}
