package dev.sextant.monitoring.ingest;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.alerting.DriftAlerts;
import dev.sextant.monitoring.drift.DriftEvaluator;
import dev.sextant.monitoring.drift.DriftReport;
import dev.sextant.monitoring.drift.DriftReports;
import dev.sextant.monitoring.performance.OnlinePerformance;
import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.reference.ReferenceProfiles;
import dev.sextant.monitoring.window.PredictionLog;
import dev.sextant.monitoring.window.WindowAggregator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes {@code prediction-logs.v1} into the windows. A record monitoring cannot read goes to the dead-letter
 * topic with the reason in a header, and consumption goes on: a bad message never stalls the consumer. Offsets are
 * committed after each batch; a closed window is judged against its version's reference and stored.
 */
@Component
class PredictionLogsListener {

    private static final Logger log = LoggerFactory.getLogger(PredictionLogsListener.class);

    private final PredictionLogParser parser;
    private final WindowAggregator windows;
    private final OnlinePerformance performance;
    private final KafkaTemplate<String, String> kafka;
    private final String deadLetterTopic;
    private final Counter accepted;
    private final Counter deadLettered;

    PredictionLogsListener(
            JsonMapper json,
            ReferenceProfiles references,
            WindowAggregator windows,
            DriftEvaluator evaluator,
            DriftReports reports,
            DriftAlerts alerts,
            OnlinePerformance performance,
            KafkaTemplate<String, String> kafka,
            MonitoringProperties properties,
            MeterRegistry meters) {
        this.parser = new PredictionLogParser(json, references::of);
        this.windows = windows;
        this.performance = performance;
        this.kafka = kafka;
        this.deadLetterTopic = properties.deadLetterTopic();
        this.accepted = meters.counter("sextant.monitoring.logs", "outcome", "accepted");
        this.deadLettered = meters.counter("sextant.monitoring.logs", "outcome", "dead_lettered");
        windows.onClose(window -> {
            DriftReport report = references
                    .of(window.model(), window.version())
                    .map(reference -> evaluator.evaluate(window, reference))
                    .orElseGet(() -> evaluator.evaluate(window, new ReferenceProfile(List.of(), Map.of())));
            reports.add(report);
            alerts.judged(report);
            if (report.status() == DriftReport.Severity.ALERT || report.status() == DriftReport.Severity.WARN) {
                log.info(
                        "drift {} for {} v{} in window {} - {}",
                        report.status(),
                        report.model(),
                        report.version(),
                        report.windowStart(),
                        report.windowEnd());
            }
        });
    }

    /** Scores wait for their labels: by request id, or {@code <request id>/<row>} for a batch. */
    private void remember(PredictionLog parsed) {
        double[] scores = parsed.columns().get(ReferenceProfile.SCORE);
        if (scores == null) {
            return;
        }
        for (int row = 0; row < scores.length; row++) {
            String id = scores.length == 1 ? parsed.requestId() : parsed.requestId() + "/" + row;
            performance.predicted(id, parsed.model(), parsed.version(), scores[row], parsed.time());
        }
    }

    @KafkaListener(
            id = "prediction-logs",
            topics = "${sextant.monitoring.logs-topic}",
            groupId = "monitoring",
            batch = "true")
    void consume(List<ConsumerRecord<String, String>> records, Acknowledgment acknowledgment)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (ConsumerRecord<String, String> record : records) {
            try {
                PredictionLog parsed = parser.parse(record.value());
                windows.accept(parsed);
                remember(parsed);
                accepted.increment();
            } catch (PredictionLogParser.MalformedLogException e) {
                ProducerRecord<String, String> dead =
                        new ProducerRecord<>(deadLetterTopic, record.key(), record.value());
                dead.headers().add("sextant-error", e.getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                dead.headers()
                        .add(
                                "sextant-source",
                                (record.topic() + "-" + record.partition() + "@" + record.offset())
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                kafka.send(dead).get(10, TimeUnit.SECONDS);
                deadLettered.increment();
                log.warn(
                        "prediction log at {}-{} offset {} dead-lettered: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
            }
        }
        acknowledgment.acknowledge();
    }
}
