package dev.sextant.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testsupport.RedisServer;
import dev.sextant.testsupport.WithRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The feature store's HTTP API with the example fraud domain's repository, against a real Redis. */
@WithRedis
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "sextant.features.online.max-entity-rows=10")
@AutoConfigureRestTestClient
class FeatureStoreApiIT {

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) throws java.io.IOException {
        Path data = Files.createTempDirectory("feature-store-api");
        registry.add("spring.data.redis.url", () -> RedisServer.shared().url());
        registry.add(
                "sextant.features.offline.path", () -> data.resolve("offline").toString());
        registry.add("sextant.features.offline.training-sets-path", () -> data.resolve("training-sets")
                .toString());
    }

    static String card() {
        return "card-" + UUID.randomUUID();
    }

    @Test
    void listsEntitiesAndFeatureViewsWithTypesAndTtl() {
        JsonNode definitions = get("/api/v1/features/views");
        assertThat(definitions.at("/entities/0/name").asString()).isEqualTo("card");
        assertThat(definitions.at("/entities/0/join_keys/0/name").asString()).isEqualTo("card_id");
        JsonNode stats = definitions.at("/feature_views/0");
        assertThat(stats.get("name").asString()).isEqualTo("card_txn_stats");
        assertThat(stats.get("ttl_seconds").asLong()).isEqualTo(7200);
        assertThat(stats.get("source").asString()).isEqualTo("stream");
        assertThat(stats.at("/features/0").toString())
                .isEqualTo("{\"name\":\"txn_count_10m\",\"type\":\"INT64\","
                        + "\"aggregation\":{\"function\":\"count\",\"window_seconds\":600}}");
        assertThat(stats.at("/stream/topic").asString()).isEqualTo("transactions.v1");
        JsonNode profile = definitions.at("/feature_views/2");
        assertThat(profile.at("/features/0").toString()).isEqualTo("{\"name\":\"home_country\",\"type\":\"STRING\"}");
        assertThat(profile.has("stream")).isFalse();
    }

    @Test
    void pushedRowsAreReadBackColumnWiseWithStatusesAndTimestamps() {
        String fresh = card();
        String stale = card();
        Instant recent = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        Instant old = Instant.now()
                .minus(150, ChronoUnit.MINUTES)
                .truncatedTo(ChronoUnit.MILLIS); // past the 2h TTL, within the 1h grace
        push(
                        "card_txn_stats",
                        List.of(
                                Map.of(
                                        "card_id",
                                        fresh,
                                        "event_timestamp",
                                        recent.toString(),
                                        "txn_count_10m",
                                        4,
                                        "amount_mean_1h",
                                        31.5),
                                Map.of("card_id", stale, "event_timestamp", old.toString(), "txn_count_10m", 9)))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.written")
                .isEqualTo(2)
                .jsonPath("$.skipped_as_older")
                .isEqualTo(0);

        JsonNode answer = read(
                List.of("card_txn_stats:txn_count_10m", "card_txn_stats:amount_sum_1h"),
                Map.of("card_id", List.of(fresh, stale, card())));

        assertThat(answer.at("/metadata/feature_names").toString())
                .isEqualTo("[\"card_id\",\"card_txn_stats:txn_count_10m\",\"card_txn_stats:amount_sum_1h\"]");
        JsonNode count = answer.at("/results/1");
        assertThat(count.get("values").toString()).isEqualTo("[4,null,null]");
        assertThat(count.get("statuses").toString()).isEqualTo("[\"PRESENT\",\"OUTSIDE_MAX_AGE\",\"NOT_FOUND\"]");
        assertThat(Instant.parse(count.at("/event_timestamps/0").asString())).isEqualTo(recent);
        assertThat(Instant.parse(count.at("/event_timestamps/1").asString())).isEqualTo(old);
        assertThat(answer.at("/results/2/statuses/0").asString()).isEqualTo("NULL_VALUE");
    }

    @Test
    void anOlderPushDoesNotOverwriteANewerRow() {
        String merchant = "m-" + UUID.randomUUID();
        Instant now = Instant.now();
        push(
                        "merchant_profile",
                        List.of(Map.of(
                                "merchant_id",
                                merchant,
                                "event_timestamp",
                                now.toString(),
                                "risk_score",
                                0.9,
                                "category",
                                "electronics")))
                .expectStatus()
                .isOk();
        push(
                        "merchant_profile",
                        List.of(Map.of(
                                "merchant_id",
                                merchant,
                                "event_timestamp",
                                now.minusSeconds(60).toString(),
                                "risk_score",
                                0.1)))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.written")
                .isEqualTo(0)
                .jsonPath("$.skipped_as_older")
                .isEqualTo(1);

        JsonNode answer = read(List.of("merchant_profile:risk_score"), Map.of("merchant_id", List.of(merchant)));
        assertThat(answer.at("/results/1/values/0").asDouble()).isEqualTo(0.9);
    }

    @Test
    void badInputIsA400ThatNamesTheProblemAndWritesNothing() {
        String card = card();
        String now = Instant.now().toString();
        expect400(
                readSpec(List.of("card_txn_stats:nope"), Map.of("card_id", List.of(card))),
                "feature view 'card_txn_stats' has no feature 'nope'");
        expect400(
                readSpec(List.of("nope:txn_count_10m"), Map.of("card_id", List.of(card))),
                "unknown feature view 'nope'");
        expect400(
                readSpec(List.of("card_txn_stats:txn_count_10m"), Map.of("merchant_id", List.of("m1"))),
                "join key 'merchant_id' is not used");
        expect400(
                readSpec(
                        List.of("card_txn_stats:txn_count_10m"),
                        Map.of("card_id", java.util.Collections.nCopies(11, card))),
                "at most 10 entity rows");
        expect400(
                http.post()
                        .uri("/api/v1/features/online")
                        .contentType(MediaType.APPLICATION_JSON)
                        .body("{\"features\": \"card_txn_stats:txn_count_10m\"}")
                        .exchange(),
                "request body.features is not valid");
        expect400(push("nope", List.of(Map.of("card_id", card))), "unknown feature view 'nope'");
        expect400(
                push("card_txn_stats", List.of(Map.of("card_id", card, "event_timestamp", "yesterday"))),
                "rows[0].event_timestamp must be an ISO-8601 timestamp");
        expect400(
                push(
                        "card_txn_stats",
                        List.of(
                                Map.of("card_id", card, "event_timestamp", now, "txn_count_10m", 1),
                                Map.of("card_id", card, "event_timestamp", now, "txn_count_10m", "lots"))),
                "rows[1].txn_count_10m must be INT64, got 'lots'");
        expect400(
                push("card_txn_stats", List.of(Map.of("card_id", card, "event_timestamp", now, "velocity", 3))),
                "rows[0].velocity: feature view 'card_txn_stats' has no such feature");
        expect400(
                push("card_txn_stats", List.of(Map.of("merchant_id", "m1", "event_timestamp", now))),
                "rows[0] lacks join key 'card_id'");
        // Overflowed epoch milliseconds (a 500), and would pin the entity's features until the year 9999.
        expect400(
                push(
                        "card_txn_stats",
                        List.of(Map.of("card_id", card, "event_timestamp", "+300000000-01-01T00:00:00Z"))),
                "rows[0].event_timestamp must be in the years 0001-9999, got '+300000000-01-01T00:00:00Z'");
        expect400(
                push(
                        "card_txn_stats",
                        List.of(Map.of(
                                "card_id", card, "event_timestamp", "9999-01-01T00:00:00Z", "txn_count_10m", 1))),
                "rows[0].event_timestamp 9999-01-01T00:00:00Z is more than PT5M ahead of the feature store's clock");

        JsonNode answer = read(List.of("card_txn_stats:txn_count_10m"), Map.of("card_id", List.of(card)));
        assertThat(answer.at("/results/1/statuses/0").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void rowsPushedOfflineComeBackPointInTimeAsADownloadableTrainingSet() {
        String card = card();
        Instant t1 = Instant.parse("2026-03-01T10:00:00Z");
        Instant t2 = Instant.parse("2026-03-01T11:00:00Z");
        postJson(
                        "/api/v1/features/push",
                        Map.of(
                                "feature_view",
                                "card_profile",
                                "to",
                                "online_and_offline",
                                "rows",
                                List.of(
                                        Map.of("card_id", card, "event_timestamp", t1.toString(), "home_country", "FR"),
                                        Map.of(
                                                "card_id",
                                                card,
                                                "event_timestamp",
                                                t2.toString(),
                                                "home_country",
                                                "DE"))))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.appended_offline")
                .isEqualTo(2)
                .jsonPath("$.written")
                .isEqualTo(2); // oldest first: each row is newer than the one stored before it

        JsonNode set = json.readTree(postJson(
                        "/api/v1/features/historical",
                        Map.of(
                                "features",
                                List.of("card_profile:home_country"),
                                "entity_rows",
                                List.of(
                                        Map.of("card_id", card, "event_timestamp", "2026-03-01T09:59:59Z"),
                                        Map.of("card_id", card, "event_timestamp", "2026-03-01T10:30:00Z"),
                                        // at the instant of the DE row, the value just before it; then DE
                                        Map.of("card_id", card, "event_timestamp", "2026-03-01T11:00:00Z"),
                                        // the same millisecond, finer: rows are stamped to the millisecond
                                        Map.of("card_id", card, "event_timestamp", "2026-03-01T11:00:00.000386Z"),
                                        Map.of("card_id", card, "event_timestamp", "2026-03-01T11:00:00.001Z"))))
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
        assertThat(set.get("rows").asLong()).isEqualTo(5);
        assertThat(set.get("columns").toString())
                .isEqualTo("[\"card_id\",\"event_timestamp\",\"card_profile__home_country\"]");

        byte[] parquet = http.get()
                .uri(set.get("download").asString())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();
        assertThat(new String(parquet, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PAR1");
        assertThat(valuesIn(set.get("path").asString(), "card_profile__home_country"))
                .containsExactly(null, "FR", "FR", "FR", "DE");

        expect400(
                postJson(
                        "/api/v1/features/push",
                        Map.of(
                                "feature_view",
                                "card_profile",
                                "to",
                                "somewhere",
                                "rows",
                                List.of(Map.of("card_id", card, "event_timestamp", t1.toString())))),
                "to must be online, offline or online_and_offline");
        http.get()
                .uri("/api/v1/features/historical/" + UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isNotFound();
        expect400(http.get().uri("/api/v1/features/historical/..%2Fsecret").exchange(), "must be a UUID");
    }

    @Test
    void entityRowsUploadedAsParquetComeBackPointInTimeWithoutASharedDisk() throws Exception {
        String card = card();
        postJson(
                        "/api/v1/features/push",
                        Map.of(
                                "feature_view",
                                "card_profile",
                                "to",
                                "offline",
                                "rows",
                                List.of(Map.of(
                                        "card_id",
                                        card,
                                        "event_timestamp",
                                        "2026-04-01T10:00:00Z",
                                        "card_age_days",
                                        30))))
                .expectStatus()
                .isOk();
        // Written where a client keeps its files, not under the feature store's data directory.
        Path entities = Files.createTempFile("entities", ".parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT '" + card + "' AS card_id, TIMESTAMP '2026-04-01 09:30:00' + to_hours(i) AS"
                    + " event_timestamp, i AS label FROM range(3) t(i)) TO '" + entities + "' (FORMAT parquet)");
        }
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("features", "card_profile:card_age_days");
        parts.add("entities", new FileSystemResource(entities));
        JsonNode set = json.readTree(http.post()
                .uri("/api/v1/features/historical")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(parts)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
        assertThat(set.get("rows").asLong()).isEqualTo(3);
        assertThat(valuesIn(set.get("path").asString(), "card_profile__card_age_days"))
                .containsExactly(null, 30L, 30L);

        LinkedMultiValueMap<String, Object> notParquet = new LinkedMultiValueMap<>();
        notParquet.add("features", "card_profile:card_age_days");
        notParquet.add(
                "entities",
                new FileSystemResource(Files.writeString(Files.createTempFile("entities", ".csv"), "card_id\nc1\n")));
        expect400(
                http.post()
                        .uri("/api/v1/features/historical")
                        .contentType(MediaType.MULTIPART_FORM_DATA)
                        .body(notParquet)
                        .exchange(),
                "part 'entities' is not a Parquet file (it must begin and end with PAR1), 11 bytes");

        LinkedMultiValueMap<String, Object> noFile = new LinkedMultiValueMap<>();
        noFile.add("features", "card_profile:card_age_days");
        http.post()
                .uri("/api/v1/features/historical")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(noFile)
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void onDemandFeaturesAreComputedByTheSameCodeOnlineAndInTrainingSets() {
        String card = card();
        String unknown = card();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        push(
                        "card_txn_stats",
                        List.of(Map.of(
                                "card_id",
                                card,
                                "event_timestamp",
                                now.minusSeconds(600).toString(),
                                "amount_mean_1h",
                                50.0,
                                "amount_max_1h",
                                120.0)),
                        "online_and_offline")
                .expectStatus()
                .isOk();
        push(
                        "card_profile",
                        List.of(Map.of(
                                "card_id",
                                card,
                                "event_timestamp",
                                now.minusSeconds(86_400).toString(),
                                "home_country",
                                "FR")),
                        "online_and_offline")
                .expectStatus()
                .isOk();
        List<String> features = List.of(
                "txn_context:amount_to_mean_1h",
                "txn_context:exceeds_max_1h",
                "card_profile:home_country",
                "txn_context:is_foreign");

        JsonNode online = json.readTree(postJson(
                        "/api/v1/features/online",
                        Map.of(
                                "features",
                                features,
                                "entities",
                                Map.of("card_id", List.of(card, unknown)),
                                "request_context",
                                Map.of("amount", List.of(150.0, 10), "country", List.of("DE", "FR"))))
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
        assertThat(online.at("/metadata/feature_names").toString())
                .isEqualTo("[\"card_id\",\"txn_context:amount_to_mean_1h\",\"txn_context:exceeds_max_1h\","
                        + "\"card_profile:home_country\",\"txn_context:is_foreign\"]");
        assertThat(online.at("/results/1/values").toString()).isEqualTo("[3.0,null]");
        assertThat(online.at("/results/1/statuses").toString()).isEqualTo("[\"PRESENT\",\"NULL_VALUE\"]");
        assertThat(online.at("/results/2/values").toString()).isEqualTo("[true,true]");
        assertThat(online.at("/results/4/values").toString()).isEqualTo("[true,null]");

        JsonNode set = json.readTree(postJson(
                        "/api/v1/features/historical",
                        Map.of(
                                "features",
                                features,
                                "entity_rows",
                                List.of(
                                        Map.of(
                                                "card_id",
                                                card,
                                                "event_timestamp",
                                                now.toString(),
                                                "amount",
                                                150.0,
                                                "country",
                                                "DE"),
                                        Map.of(
                                                "card_id",
                                                unknown,
                                                "event_timestamp",
                                                now.toString(),
                                                "amount",
                                                10,
                                                "country",
                                                "FR"))))
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
        assertThat(set.get("columns").toString())
                .isEqualTo(
                        "[\"card_id\",\"event_timestamp\",\"amount\",\"country\",\"txn_context__amount_to_mean_1h\","
                                + "\"txn_context__exceeds_max_1h\",\"card_profile__home_country\",\"txn_context__is_foreign\"]");
        String path = set.get("path").asString();
        assertThat(valuesIn(path, "txn_context__amount_to_mean_1h")).containsExactly(3.0, null);
        assertThat(valuesIn(path, "txn_context__exceeds_max_1h")).containsExactly(true, true);
        assertThat(valuesIn(path, "txn_context__is_foreign")).containsExactly(true, null);
        assertThat(valuesIn(path, "amount")).containsExactly(150.0, 10.0);

        expect400(
                postJson(
                        "/api/v1/features/online",
                        Map.of("features", features, "entities", Map.of("card_id", List.of(card)))),
                "request_context.amount must hold one FLOAT64 per entity row (1); it is missing");
        expect400(
                postJson(
                        "/api/v1/features/online",
                        Map.of(
                                "features",
                                features,
                                "entities",
                                Map.of("card_id", List.of(card)),
                                "request_context",
                                Map.of("amount", List.of("lots"), "country", List.of("DE")))),
                "request_context row 0.amount must be FLOAT64, got 'lots'");
        expect400(
                postJson(
                        "/api/v1/features/online",
                        Map.of("features", List.of("txn_context:nope"), "entities", Map.of("card_id", List.of(card)))),
                "on-demand view 'txn_context' has no feature 'nope'");
        expect400(
                postJson(
                        "/api/v1/features/historical",
                        Map.of(
                                "features",
                                features,
                                "entity_rows",
                                List.of(Map.of("card_id", card, "event_timestamp", now.toString(), "country", "DE")))),
                "entity_rows[0] lacks request value 'amount' (FLOAT64)");
    }

    @Test
    void materializationCopiesTheLatestOfflineValuesOnlineIncrementallyAndNeverRegresses() {
        String m1 = "m-" + UUID.randomUUID();
        String m2 = "m-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        postJson(
                        "/api/v1/features/push",
                        Map.of(
                                "feature_view",
                                "merchant_profile",
                                "to",
                                "offline",
                                "rows",
                                List.of(
                                        Map.of(
                                                "merchant_id",
                                                m1,
                                                "event_timestamp",
                                                now.minus(3, ChronoUnit.HOURS).toString(),
                                                "risk_score",
                                                0.1),
                                        Map.of(
                                                "merchant_id",
                                                m1,
                                                "event_timestamp",
                                                now.minus(2, ChronoUnit.HOURS).toString(),
                                                "risk_score",
                                                0.2),
                                        Map.of(
                                                "merchant_id",
                                                m2,
                                                "event_timestamp",
                                                now.minus(1, ChronoUnit.HOURS).toString(),
                                                "risk_score",
                                                0.5))))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.appended_offline")
                .isEqualTo(3)
                .jsonPath("$.written")
                .isEqualTo(0);

        JsonNode first = materialize(Map.of(
                "feature_views",
                List.of("merchant_profile"),
                "start",
                now.minus(4, ChronoUnit.HOURS).toString(),
                "end",
                now.minus(90, ChronoUnit.MINUTES).toString()));
        assertThat(first.at("/views/0/rows_read").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(risk(m1)).isEqualTo("[0.2]");
        assertThat(risk(m2)).isEqualTo("[null]");

        JsonNode incremental = materialize(Map.of("feature_views", List.of("merchant_profile")));
        assertThat(Instant.parse(incremental.at("/views/0/start").asString()))
                .isEqualTo(now.minus(90, ChronoUnit.MINUTES));
        assertThat(risk(m2)).isEqualTo("[0.5]");

        JsonNode replay = materialize(Map.of(
                "feature_views",
                List.of("merchant_profile"),
                "start",
                now.minus(4, ChronoUnit.HOURS).toString(),
                "end",
                now.minus(150, ChronoUnit.MINUTES).toString()));
        assertThat(replay.at("/views/0/skipped_as_older").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(risk(m1)).isEqualTo("[0.2]");

        expect400(
                postJson("/api/v1/features/materialize", Map.of("feature_views", List.of("nope"))),
                "unknown feature view 'nope'");
        expect400(
                postJson(
                        "/api/v1/features/materialize",
                        Map.of(
                                "start",
                                now.toString(),
                                "end",
                                now.minusSeconds(1).toString())),
                "start must be before end");
        expect400(
                postJson("/api/v1/features/materialize", Map.of("start", "last week")),
                "start must be an ISO-8601 timestamp");
    }

    private JsonNode materialize(Map<String, Object> body) {
        return json.readTree(postJson("/api/v1/features/materialize", body)
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
    }

    private String risk(String merchant) {
        return read(List.of("merchant_profile:risk_score"), Map.of("merchant_id", List.of(merchant)))
                .at("/results/1/values")
                .toString();
    }

    private static List<Object> valuesIn(String parquet, String column) {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                java.sql.ResultSet rows =
                        statement.executeQuery("SELECT " + column + " FROM read_parquet('" + parquet + "')")) {
            List<Object> values = new java.util.ArrayList<>();
            while (rows.next()) {
                values.add(rows.getObject(1));
            }
            return values;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void actuatorAndOpenApiDescribeTheService() {
        read(List.of("card_profile:home_country"), Map.of("card_id", List.of(card())));
        assertThat(get("/actuator/health").at("/components/onlineStore/status").asString())
                .isEqualTo("UP");
        String metrics = http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(metrics).contains("sextant_features_online_read_seconds_count");
        assertThat(get("/v3/api-docs").get("paths").propertyNames())
                .contains("/api/v1/features/online", "/api/v1/features/push", "/api/v1/features/views");
    }

    private RestTestClient.ResponseSpec push(String view, List<Map<String, Object>> rows) {
        return postJson("/api/v1/features/push", Map.of("feature_view", view, "rows", rows));
    }

    private RestTestClient.ResponseSpec push(String view, List<Map<String, Object>> rows, String to) {
        return postJson("/api/v1/features/push", Map.of("feature_view", view, "rows", rows, "to", to));
    }

    private RestTestClient.ResponseSpec postJson(String uri, Object body) {
        return http.post()
                .uri(uri)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
    }

    private RestTestClient.ResponseSpec readSpec(List<String> features, Map<String, List<Object>> entities) {
        return http.post()
                .uri("/api/v1/features/online")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("features", features, "entities", entities))
                .exchange();
    }

    private JsonNode read(List<String> features, Map<String, List<Object>> entities) {
        return json.readTree(readSpec(features, entities)
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
    }

    private JsonNode get(String uri) {
        return json.readTree(http.get()
                .uri(uri)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
    }

    private void expect400(RestTestClient.ResponseSpec response, String detail) {
        JsonNode problem = json.readTree(response.expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
        assertThat(problem.get("detail").asString()).contains(detail);
    }
}
