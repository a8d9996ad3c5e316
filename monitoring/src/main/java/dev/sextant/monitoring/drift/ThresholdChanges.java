package dev.sextant.monitoring.drift;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.MonitoringProperties.Thresholds;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Threshold changes through the compacted settings topic: {@link #publish} writes one (and applies it at once);
 * every instance reads the whole topic from its beginning at each start (a consumer group of its own, never
 * committed) and applies each change in order, so changes survive restarts and reach every instance. A
 * feature's removal is a tombstone.
 */
@Component
public class ThresholdChanges {

    private static final Logger log = LoggerFactory.getLogger(ThresholdChanges.class);

    private final ThresholdSettings settings;
    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;
    private final String topic;

    ThresholdChanges(
            ThresholdSettings settings,
            KafkaTemplate<String, String> kafka,
            JsonMapper json,
            MonitoringProperties.Topics topics) {
        this.settings = settings;
        this.kafka = kafka;
        this.json = json;
        this.topic = topics.settings();
    }

    /**
     * Keeps a change in the settings topic, then applies it; nothing changes when Kafka does not acknowledge it
     * within 5 s.
     */
    public void publish(String key, Thresholds thresholds)
            throws InterruptedException, ExecutionException, TimeoutException {
        kafka.send(topic, key, thresholds == null ? null : json.writeValueAsString(thresholds))
                .get(5, TimeUnit.SECONDS);
        settings.apply(key, thresholds);
    }

    @KafkaListener(
            id = "threshold-settings",
            topics = "${sextant.monitoring.settings-topic}",
            groupId = "monitoring-settings-${random.uuid}",
            properties = "auto.offset.reset=earliest")
    void changed(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        try {
            settings.apply(
                    record.key(), record.value() == null ? null : json.readValue(record.value(), Thresholds.class));
        } catch (JacksonException e) {
            log.warn("ignoring an unreadable threshold change at offset {}: {}", record.offset(), e.getMessage());
        }
    }
}
