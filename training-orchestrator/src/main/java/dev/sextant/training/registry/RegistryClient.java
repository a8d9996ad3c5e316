package dev.sextant.training.registry;

import dev.sextant.training.TrainingProperties;
import dev.sextant.training.TrainingProperties.FeatureSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The model registry's HTTP API, as the orchestrator uses it. */
@Component
public class RegistryClient {

    static final String ACTOR = "training-orchestrator";

    private final RestClient http;
    private final JsonMapper json;

    RegistryClient(RestClient.Builder builder, TrainingProperties properties, JsonMapper json) {
        HttpClientSettings settings =
                HttpClientSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(120));
        this.http = builder.clone()
                .baseUrl(properties.registryUrl().toString())
                .requestFactory(ClientHttpRequestFactoryBuilder.jdk().build(settings))
                .defaultHeader("X-Sextant-Actor", ACTOR)
                .build();
        this.json = json;
    }

    /**
     * A registered version: its number, binding and artifact.
     *
     * @param features its feature binding; a null default is NaN (no default)
     */
    public record RegisteredVersion(int version, List<FeatureSpec> features, byte[] onnx) {}

    /** The version an alias points to, with its artifact; empty when the model or the alias does not exist. */
    public Optional<RegisteredVersion> aliased(String model, String alias) {
        JsonNode view;
        try {
            view = json.readTree(http.get()
                    .uri("/api/v1/models/{m}/aliases/{a}", model, alias)
                    .retrieve()
                    .body(String.class));
        } catch (HttpClientErrorException.NotFound e) {
            return Optional.empty();
        }
        int version = view.get("version").intValue();
        List<FeatureSpec> features = new ArrayList<>();
        JsonNode binding = view.path("model_version").path("features");
        for (JsonNode feature : binding) {
            JsonNode value = feature.get("default");
            features.add(new FeatureSpec(
                    feature.get("ref").asString(), value == null || !value.isNumber() ? null : value.doubleValue()));
        }
        byte[] onnx = http.get()
                .uri("/api/v1/models/{m}/versions/{v}/artifact", model, version)
                .retrieve()
                .body(byte[].class);
        return Optional.of(new RegisteredVersion(version, List.copyOf(features), onnx));
    }

    /** The version a job registered (tagged with its id), if it did: how a resumed job avoids registering twice. */
    public Optional<Integer> registeredBy(String model, String jobId) {
        try {
            JsonNode page = json.readTree(http.get()
                    .uri("/api/v1/models/{m}/versions?tag={t}", model, "training_job_id=" + jobId)
                    .retrieve()
                    .body(String.class));
            JsonNode versions = page.path("versions");
            return versions.isEmpty()
                    ? Optional.empty()
                    : Optional.of(versions.get(0).get("version").intValue());
        } catch (HttpClientErrorException.NotFound e) {
            return Optional.empty();
        }
    }

    /**
     * Uploads a version with its metadata, and the native model it was exported from when there is one (its
     * format named in the metadata's {@code lineage.native_model}); answers its number.
     */
    public int register(String model, byte[] onnx, byte[] nativeModel, Map<String, Object> metadata) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", file(onnx, "model.onnx"));
        if (nativeModel != null) {
            parts.add("native", file(nativeModel, "model.native"));
        }
        HttpHeaders metadataHeaders = new HttpHeaders();
        metadataHeaders.setContentType(MediaType.APPLICATION_JSON);
        parts.add("metadata", new HttpEntity<>(json.writeValueAsString(metadata), metadataHeaders));
        JsonNode created = json.readTree(http.post()
                .uri("/api/v1/models/{m}/versions", model)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(parts)
                .retrieve()
                .body(String.class));
        return created.get("version").intValue();
    }

    private static HttpEntity<ByteArrayResource> file(byte[] bytes, String name) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
        return new HttpEntity<>(
                new ByteArrayResource(bytes) {
                    @Override
                    public String getFilename() {
                        return name;
                    }
                },
                headers);
    }

    public void setAlias(String model, String alias, int version, String reason) {
        http.put()
                .uri("/api/v1/models/{m}/aliases/{a}", model, alias)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("version", version, "reason", reason))
                .retrieve()
                .toBodilessEntity();
    }
}
