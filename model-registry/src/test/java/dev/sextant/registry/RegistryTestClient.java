package dev.sextant.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.contracts.EventContracts;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The registry API as the tests call it: uploads, aliases, JSON reads, problem checks, model events. */
final class RegistryTestClient {

    private final RestTestClient http;
    private final JsonMapper json;

    RegistryTestClient(RestTestClient http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    RestTestClient http() {
        return http;
    }

    JsonNode register(String name, byte[] model, String metadata) {
        byte[] body = upload(name, model, metadata)
                .expectStatus()
                .isCreated()
                .expectHeader()
                .exists(HttpHeaders.LOCATION)
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();
        return json.readTree(body);
    }

    RestTestClient.ResponseSpec upload(String name, byte[] model, String metadata) {
        return upload(name, model, metadata, null);
    }

    /** An upload with a native model in part {@code native} when {@code nativeModel} is not null. */
    RestTestClient.ResponseSpec upload(String name, byte[] model, String metadata, byte[] nativeModel) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        HttpHeaders fileHeaders = new HttpHeaders();
        fileHeaders.setContentType(MediaType.APPLICATION_OCTET_STREAM);
        parts.add(
                "file",
                new HttpEntity<>(
                        new ByteArrayResource(model) {
                            @Override
                            public String getFilename() {
                                return "model.onnx";
                            }
                        },
                        fileHeaders));
        if (metadata != null) {
            HttpHeaders metadataHeaders = new HttpHeaders();
            metadataHeaders.setContentType(MediaType.APPLICATION_JSON);
            parts.add("metadata", new HttpEntity<>(metadata, metadataHeaders));
        }
        if (nativeModel != null) {
            parts.add(
                    "native",
                    new HttpEntity<>(
                            new ByteArrayResource(nativeModel) {
                                @Override
                                public String getFilename() {
                                    return "model.json";
                                }
                            },
                            fileHeaders));
        }
        return http.post()
                .uri("/api/v1/models/{name}/versions", name)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(parts)
                .exchange();
    }

    RestTestClient.ResponseSpec setAlias(String name, String alias, int version, String actor) {
        return http.put()
                .uri("/api/v1/models/{name}/aliases/{alias}", name, alias)
                .header("X-Sextant-Actor", actor)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("version", version))
                .exchange();
    }

    JsonNode getJson(String uri) {
        return json.readTree(http.get()
                .uri(uri)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody());
    }

    /** Asserts an RFC 9457 problem with this status (and detail text) and returns its detail. */
    String expectProblem(RestTestClient.ResponseSpec response, int status, String detailContains) {
        byte[] body = response.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();
        JsonNode problem = json.readTree(body);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        String detail = problem.get("detail").asString();
        if (detailContains != null) {
            assertThat(detail).contains(detailContains);
        }
        return detail;
    }

    /**
     * Reads model-events.v1 from the beginning until {@code count} events of this model arrived (60 s at most), each
     * held to the topic's contract.
     */
    List<JsonNode> consumeEvents(String bootstrapServers, String model, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<JsonNode> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("model-events.v1"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (events.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (model.equals(record.key())) {
                        EventContracts.assertConforms("model-events.v1", record.value());
                        events.add(json.readTree(record.value()));
                    }
                }
            }
        }
        return events;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
