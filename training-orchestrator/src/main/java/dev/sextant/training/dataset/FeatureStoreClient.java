package dev.sextant.training.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The feature store's historical retrieval: entity rows uploaded as Parquet, the point-in-time training set
 * downloaded as Parquet. No disk is shared between the two services.
 */
class FeatureStoreClient {

    private final RestClient http;
    private final JsonMapper json;

    FeatureStoreClient(RestClient.Builder builder, URI featureStore, JsonMapper json) {
        HttpClientSettings settings =
                HttpClientSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(600));
        this.http = builder.clone()
                .baseUrl(featureStore.toString())
                .requestFactory(ClientHttpRequestFactoryBuilder.jdk().build(settings))
                .build();
        this.json = json;
    }

    /** Builds a training set for these entity rows and downloads it to {@code target}; answers its rows. */
    long historical(List<String> features, Path entities, Path target) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        features.forEach(feature -> parts.add("features", feature));
        parts.add("entities", new FileSystemResource(entities));
        JsonNode set = json.readTree(http.post()
                .uri("/api/v1/features/historical")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(parts)
                .retrieve()
                .body(String.class));
        String id = set.get("id").asString();
        http.get().uri("/api/v1/features/historical/{id}", id).exchange((request, response) -> {
            if (!response.getStatusCode().is2xxSuccessful()) {
                throw new IllegalStateException(
                        "downloading training set " + id + " failed: HTTP " + response.getStatusCode());
            }
            try (InputStream body = response.getBody()) {
                Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write training set " + target, e);
            }
            return null;
        });
        return set.get("rows").longValue();
    }
}
