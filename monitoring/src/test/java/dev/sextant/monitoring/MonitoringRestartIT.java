package dev.sextant.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.PredictionLogs;
import dev.sextant.testsupport.ServiceJar;
import dev.sextant.testsupport.WithKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A crash of the packaged monitoring service ({@code kill -9}) loses nothing and counts nothing twice. Two model
 * versions share a partition: one window of the first is judged while the second's window, opened before it, is
 * still open. After the crash the restarted service reads from the second's first record again, skips the first's
 * judged records, and rebuilds both open windows: each next window holds exactly its 1,000 predictions. A threshold
 * change made before the crash is in force after it. A running canary's evidence is read again whole after the
 * crash, and its step goes on counting it.
 */
@WithKafka
class MonitoringRestartIT {

    static final String TOPIC = "prediction-logs-restart.v1";
    static final String WATCHED = "restart-watch";
    static final String OTHER = "restart-other";
    static final String GROUP = "monitoring-restart";
    static final int WINDOW = 1_000;

    final PredictionLogs logs = new PredictionLogs(WATCHED, 3);
    final PredictionLogs others = new PredictionLogs(OTHER, 4);
    int sent;

    @Test
    void aKilledServiceResumesItsOpenWindowsWithoutLossOrDoubleCounting() throws Exception {
        Path jar = Path.of("target/monitoring.jar").toAbsolutePath();
        Path directory = Files.createTempDirectory("monitoring-restart");
        try (ServiceJar registry = PredictionLogs.registryWith(WATCHED)) {
            String[] arguments = {
                "--spring.kafka.bootstrap-servers=" + KafkaBroker.shared().bootstrapServers(),
                "--spring.kafka.consumer.group-id=" + GROUP,
                "--sextant.monitoring.registry-url=" + registry.url(),
                "--sextant.monitoring.logs-topic=" + TOPIC,
                "--sextant.monitoring.window.duration=1h",
                "--sextant.monitoring.window.count=" + WINDOW,
                "--sextant.monitoring.window.idle=10m"
            };
            ServiceJar first = ServiceJar.start(jar, directory, arguments);
            Instant secondWindowStart;
            try {
                send(others, 1); // the other model's window opens first, at offset 0
                secondWindowStart = send(logs, WINDOW + 1);
                send(logs, WINDOW / 2 - 1);
                JsonNode judged = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> windows(first, WATCHED), w -> w.size() == 1);
                assertThat(judged.get(0).get("predictions").intValue()).isEqualTo(WINDOW);
                // The commit stays at the other model's first record, and marks the judged window.
                OffsetAndMetadata committed = await().atMost(Duration.ofSeconds(30))
                        .until(this::committed, c -> c != null && c.metadata().contains(WATCHED));
                assertThat(committed.offset()).isZero();
                assertThat(committed.metadata()).contains("\"" + WATCHED + "/1\":" + WINDOW);
                // A threshold change made through the API outlives the process (the compacted settings topic).
                HttpResponse<String> changed = PredictionLogs.HTTP.send(
                        HttpRequest.newBuilder(URI.create(first.url() + "/api/v1/monitoring/thresholds/features/score"))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"ks\": {\"warn\": 0.3, \"alert\": 0.5}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            } finally {
                first.kill();
            }

            ServiceJar second = ServiceJar.start(jar, directory, arguments);
            try {
                send(logs, WINDOW / 2 + 1); // completes the open window (500 before the crash) and opens the next
                send(others, WINDOW); // completes the other's window and opens its next
                JsonNode watched = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> windows(second, WATCHED), w -> w.size() == 1);
                assertThat(watched.get(0).get("predictions").intValue()).isEqualTo(WINDOW);
                assertThat(Instant.parse(watched.get(0).get("window_start").asString()))
                        .isEqualTo(secondWindowStart);
                JsonNode other = await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> windows(second, OTHER), w -> w.size() == 1);
                assertThat(other.get(0).get("predictions").intValue()).isEqualTo(WINDOW);
                assertThat(PredictionLogs.JSON
                                .readTree(get(second, "/api/v1/monitoring/thresholds"))
                                .path("features")
                                .path("score")
                                .path("ks")
                                .get("alert")
                                .doubleValue())
                        .isEqualTo(0.5);
                assertThat(get(second, "/actuator/prometheus"))
                        .containsPattern("sextant_monitoring_logs_total\\{[^}]*outcome=\"replayed\"[^}]*} 1000.0");
            } finally {
                second.close();
            }
        }
    }

    @Test
    void aKilledServiceReadsItsRunningRolloutsEvidenceAgainWholeAndTheCanaryStepGoesOnCountingIt() throws Exception {
        String model = "restart-rollout";
        Path jar = Path.of("target/monitoring.jar").toAbsolutePath();
        Path directory = Files.createTempDirectory("monitoring-restart-rollout");
        try (ServiceJar registry = PredictionLogs.registryWith(model)) {
            PredictionLogs.register(registry.url(), model);
            RolloutTraffic traffic = new RolloutTraffic(registry, model, 11);
            traffic.registry("PUT", "/api/v1/models/" + model + "/aliases/champion", "{\"version\": 1}", 200);
            // one step: the challenger needs 500 requests and 500 labels the step assigned it
            long id = traffic.start(
                    """
                    {"strategy": "canary", "challengers": [2], "key": "card_id",
                     "steps": [{"weight": 50, "min_requests": 500, "min_labels": 500}],
                     "guards": {"max_error_rate": 0.5}}""");
            String[] arguments = {
                "--spring.kafka.bootstrap-servers=" + KafkaBroker.shared().bootstrapServers(),
                "--spring.kafka.consumer.group-id=monitoring-restart-rollout",
                "--sextant.monitoring.registry-url=" + registry.url(),
                "--sextant.monitoring.rollouts.interval=1s",
                "--sextant.monitoring.rollouts.min-live-samples=100",
                "--sextant.monitoring.rollouts.min-labels=100"
            };
            Map<Integer, Double> skill = Map.of(1, 0.3, 2, 0.3);
            ServiceJar first = ServiceJar.start(jar, directory, arguments);
            JsonNode before;
            try {
                awaitCaughtUp(first, model);
                traffic.round(traffic.rollout(id), skill, 800, 800); // the challenger: about 400 of each
                before = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> versions(first, model), versions -> labels(versions) == 800);
            } finally {
                first.kill();
            }
            assertThat(traffic.rollout(id).get("state").asString())
                    .as("short of its step's evidence")
                    .isEqualTo("running");

            ServiceJar second = ServiceJar.start(jar, directory, arguments);
            try {
                awaitCaughtUp(second, model);
                JsonNode after = versions(second, model);
                for (int i = 0; i < 2; i++) {
                    for (String count : List.of("/requests", "/errors", "/units", "/quality/labels", "/revisions/1")) {
                        assertThat(after.get(i).at(count))
                                .as("version %d %s read again after the crash", i + 1, count)
                                .isEqualTo(before.get(i).at(count));
                    }
                }
                // about 200 more for the challenger: the step's 500 are reached only with those before the crash
                traffic.round(traffic.rollout(id), skill, 400, 400);
                JsonNode promoted = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () -> traffic.rollout(id),
                                rollout -> !rollout.get("state").asString().equals("running"));
                assertThat(promoted.get("state").asString()).isEqualTo("promoted");
                assertThat(RolloutTraffic.actions(promoted)).contains("advance by monitoring");
            } finally {
                second.close();
            }
        }
    }

    /** Waits until the service has read the running rollouts' logs and labels since their start. */
    static void awaitCaughtUp(ServiceJar service, String model) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> !PredictionLogs.JSON
                        .readTree(get(service, "/api/v1/monitoring/models/" + model + "/rollouts"))
                        .get("catching_up")
                        .asBoolean());
    }

    /** The versions of the model's latest rollout, as the service's evidence has them. */
    static JsonNode versions(ServiceJar service, String model) throws Exception {
        return PredictionLogs.JSON
                .readTree(get(service, "/api/v1/monitoring/models/" + model + "/rollouts"))
                .at("/rollouts/0/versions");
    }

    static long labels(JsonNode versions) {
        long labels = 0;
        for (JsonNode version : versions) {
            labels += version.at("/quality/labels").asLong();
        }
        return labels;
    }

    /** Sends logs to partition 0; answers the event time of the last one. */
    Instant send(PredictionLogs generator, int count) {
        String model = generator == logs ? WATCHED : OTHER;
        try (KafkaProducer<String, String> producer = PredictionLogs.producer()) {
            for (int i = 0; i < count; i++) {
                producer.send(
                        new ProducerRecord<>(TOPIC, 0, model, generator.log(model + "-" + sent++, generator.row(1.0))));
            }
        }
        return generator.clock();
    }

    OffsetAndMetadata committed() throws Exception {
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", KafkaBroker.shared().bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(new TopicPartition(TOPIC, 0));
        }
    }

    static JsonNode windows(ServiceJar service, String model) throws Exception {
        HttpResponse<String> response = PredictionLogs.HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(service.url() + "/api/v1/monitoring/models/" + model + "/versions/1/drift"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return PredictionLogs.JSON.readTree(response.body()).path("windows");
    }

    static String get(ServiceJar service, String path) throws Exception {
        return PredictionLogs.HTTP
                .send(
                        HttpRequest.newBuilder(URI.create(service.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
