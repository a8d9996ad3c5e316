package dev.sextant.demo;

import static dev.sextant.demo.Api.ADMIN_KEY;
import static dev.sextant.demo.Api.MODEL;
import static dev.sextant.demo.Api.PREDICT_KEY;
import static dev.sextant.demo.Api.awaitOk;
import static dev.sextant.demo.Api.detail;
import static dev.sextant.demo.Api.get;
import static dev.sextant.demo.Api.json;
import static dev.sextant.demo.Api.poll;
import static dev.sextant.demo.Api.post;
import static dev.sextant.demo.Api.put;
import static dev.sextant.demo.Api.send;
import static dev.sextant.demo.Api.step;
import static dev.sextant.demo.Api.text;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;

/**
 * The tour before the loop, through the gateway: the registry (two example versions, an alias move, its history,
 * the events on Kafka), the prediction service (Open Inference Protocol), the feature store (streaming aggregates,
 * pushed profiles, online reads with statuses, on-demand features) and the domain API.
 */
final class Tour {

    private final DemoOptions platform;

    Tour(DemoOptions platform) {
        this.platform = platform;
    }

    void run() throws Exception {
        registryAndPredictionService();
        String card = featureStore();
        domainApi(card);
    }

    /** The registry's versions, aliases and events; the prediction service following the alias moves. */
    private void registryAndPredictionService() throws Exception {
        String gateway = platform.gateway();
        step("Through the gateway at " + gateway + " from here on: the administrator's API key for changes, the"
                + " predicting client's for predictions and reads");
        JsonNode refused = json(send(
                HttpRequest.newBuilder(URI.create(gateway + "/api/v1/models/" + MODEL + "/versions"))
                        .header("X-API-Key", PREDICT_KEY)
                        .header("X-Request-Id", "demo-refused")
                        .POST(HttpRequest.BodyPublishers.noBody()),
                403,
                ""));
        detail("a predicting client may not upload models: 403 " + text(refused, "detail"));

        step("Registering " + MODEL + " from examples/models/fraud-logreg-v1.onnx");
        JsonNode v1 = register(Path.of("examples/models/fraud-logreg-v1.onnx"), metadata(0.871, "job-demo-1"));
        int first = v1.path("version").asInt();
        detail("version " + first + ", sha256 " + text(v1, "sha256").substring(0, 12) + "…, signature inputs "
                + v1.path("signature").path("inputs"));

        step("Making version " + first + " the champion");
        JsonNode champion = put(aliasUrl("champion"), first, "first model");
        detail("champion -> version " + champion.path("version").asInt() + " (set by " + text(champion, "updated_by")
                + ")");

        step("Registering a retrained version from examples/models/fraud-logreg-v2.onnx");
        JsonNode v2 = register(Path.of("examples/models/fraud-logreg-v2.onnx"), metadata(0.902, "job-demo-2"));
        int second = v2.path("version").asInt();
        detail("version " + second + ", roc_auc " + v2.path("metrics").path("roc_auc"));
        put(aliasUrl("challenger"), second, "candidate from retraining");

        step("Promoting the challenger (version " + second + ") to champion");
        JsonNode promoted = put(aliasUrl("champion"), second, "challenger beat champion on roc_auc");
        detail("champion moved from version "
                + promoted.path("previous_version").asInt() + " to " + second);

        step("Alias history of champion (newest first)");
        JsonNode history = get(aliasUrl("champion") + "/history").path("history");
        for (int shown = 0; shown < Math.min(4, history.size()); shown++) {
            detail(history.get(shown).toString());
        }

        step("Model events on Kafka topic model-events.v1 (" + platform.kafka() + ")");
        events(5).forEach(Api::detail);

        step("Scoring two payments with the champion on the prediction service (Open Inference Protocol); it"
                + " followed the alias move through model-events.v1");
        awaitOk(
                platform.predictionService() + "/v2/models/" + MODEL + "/versions/" + second + "/ready",
                Duration.ofSeconds(60));
        JsonNode scores = post(
                gateway + "/v2/models/" + MODEL + "/infer",
                PREDICT_KEY,
                """
                {"id": "demo-1", "inputs": [{"name": "features", "datatype": "FP32", "shape": [2, 3],
                  "data": [[0.1, 1, 0.2], [3.5, 9, 0.9]]}]}""");
        detail("model_version " + text(scores, "model_version") + ", probability "
                + scores.path("outputs").path(0).path("data"));
        detail("signature: " + get(gateway + "/v2/models/" + MODEL));
    }

    /** Streams five payments of a new card and reads its aggregates; answers the card. */
    private String featureStore() throws Exception {
        String gateway = platform.gateway();
        step("Waiting for the feature store at " + platform.featureStore());
        awaitOk(platform.featureStore() + "/actuator/health/readiness", Duration.ofSeconds(120));
        Instant now = Instant.now();
        String card = "card-" + UUID.randomUUID().toString().substring(0, 8);
        step("Sending 5 transactions of " + card + " to Kafka topic transactions.v1; the feature store's Kafka Streams"
                + " topology aggregates them per card and per merchant");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                String transaction =
                        ("{\"transaction_id\": \"%s\", \"card_id\": \"%s\", \"merchant_id\": \"merchant-7\","
                                        + " \"amount\": %d.50, \"currency\": \"EUR\", \"country\": \"FR\", \"event_time\": \"%s\"}")
                                .formatted(UUID.randomUUID(), card, 20 * (i + 1), now.minusSeconds(300 - 60L * i));
                producer.send(new ProducerRecord<>("transactions.v1", card, transaction))
                        .get();
                detail(transaction);
            }
        }
        poll(
                "the streaming aggregates did not reach the online store",
                Duration.ofSeconds(60),
                () -> post(
                        gateway + "/api/v1/features/online",
                        PREDICT_KEY,
                        """
                        {"features": ["card_txn_stats:txn_count_10m"], "entities": {"card_id": ["%s"]}}
                        """
                                .formatted(card)),
                counted ->
                        counted.path("results").path(1).path("values").path(0).asInt() == 5);

        step("Pushing card-2's profile 30 days and 20 minutes old (card_profile has a 30d TTL) and " + card
                + "'s, two days old");
        detail(post(
                        gateway + "/api/v1/features/push",
                        ADMIN_KEY,
                        """
                        {"feature_view": "card_profile", "rows": [
                          {"card_id": "%s", "event_timestamp": "%s", "home_country": "FR", "card_age_days": 412,
                           "is_premium": true},
                          {"card_id": "card-2", "event_timestamp": "%s", "home_country": "DE", "card_age_days": 90,
                           "is_premium": false}]}
                        """
                                .formatted(
                                        card,
                                        now.minus(Duration.ofDays(2)),
                                        now.minus(Duration.ofDays(30).plusMinutes(20))))
                .toString());

        step("Reading online features for " + card + ", card-2 and an unknown card-3 (values, then statuses);"
                + " txn_context is computed on demand from them and the payment being scored (request_context)");
        JsonNode online = post(
                gateway + "/api/v1/features/online",
                PREDICT_KEY,
                """
                {"features": ["card_txn_stats:txn_count_10m", "card_txn_stats:amount_mean_1h",
                              "card_profile:home_country", "txn_context:amount_to_mean_1h", "txn_context:is_foreign"],
                 "entities": {"card_id": ["%s", "card-2", "card-3"]},
                 "request_context": {"amount": [250.0, 12.0, 99.0], "country": ["DE", "DE", "FR"]}}
                """
                        .formatted(card));
        JsonNode names = online.path("metadata").path("feature_names");
        for (int i = 0; i < names.size(); i++) {
            JsonNode column = online.path("results").path(i);
            detail(String.format(
                    "%-32s %-22s %s", names.get(i).asString(), column.path("values"), column.path("statuses")));
        }
        return card;
    }

    private void domainApi(String card) throws Exception {
        step("Scoring a payment of " + card + " at merchant-7 with the domain API: the prediction service reads the"
                + " champion's bound features from Redis itself; merchant-7 has no profile, so its risk_score is"
                + " defaulted");
        JsonNode domain = post(
                platform.gateway() + "/api/v1/predict/" + MODEL,
                PREDICT_KEY,
                """
                {"id": "demo-2", "entities": {"card_id": "%s", "merchant_id": "merchant-7"},
                 "request": {"amount_zscore": 1.2}}"""
                        .formatted(card));
        detail(domain.toString());
        List<String> defaulted = new ArrayList<>();
        domain.path("defaulted").forEach(feature -> defaulted.add(feature.asString()));
        if (!defaulted.equals(List.of("merchant_profile:risk_score"))) {
            throw new IllegalStateException("the domain API did not read the card's features: " + domain);
        }
    }

    private String aliasUrl(String alias) {
        return platform.gateway() + "/api/v1/models/" + MODEL + "/aliases/" + alias;
    }

    private static String metadata(double rocAuc, String job) {
        return """
                {"description": "card fraud scorer (logistic regression)",
                 "tags": {"team": "risk", "domain": "payments"},
                 "metrics": {"roc_auc": %s},
                 "lineage": {"training_job_id": "%s", "code_version": "demo"},
                 "features": [{"ref": "request:amount_zscore", "default": 0},
                              {"ref": "card_txn_stats:txn_count_1h", "default": 0},
                              {"ref": "merchant_profile:risk_score", "default": 0.5}]}
                """
                .formatted(rocAuc, job);
    }

    private JsonNode register(Path model, String metadata) throws Exception {
        String boundary = "sextant-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model.onnx\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(model));
        body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + metadata + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return json(send(
                HttpRequest.newBuilder(URI.create(platform.gateway() + "/api/v1/models/" + MODEL + "/versions"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("X-Sextant-Actor", "demo")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                201,
                ADMIN_KEY));
    }

    /** The model's latest model events, read from the topic's start to its end. */
    private List<String> events(int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.kafka(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "sextant-demo-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<String> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("model-events.v1"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && events.size() < 1000) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (MODEL.equals(record.key())) {
                        events.add(record.value());
                    }
                }
                if (events.size() >= count
                        && consumer.assignment().stream()
                                .allMatch(partition -> consumer.position(partition)
                                        >= consumer.endOffsets(List.of(partition))
                                                .get(partition))) {
                    break;
                }
            }
        }
        if (events.size() < count) {
            throw new IllegalStateException("expected at least " + count + " model events, got " + events);
        }
        return events.subList(events.size() - count, events.size());
    }
}
