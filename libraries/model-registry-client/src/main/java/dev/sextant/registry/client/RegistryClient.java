package dev.sextant.registry.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sextant.registry.client.rollout.Rollout;
import dev.sextant.registry.client.rollout.RolloutAction;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model registry's HTTP API, as the platform's services call it: models, versions with their binding and
 * artifacts, aliases, registration, and rollouts with the actions taken on them. The one client of the registry in
 * the platform; the registry's own tests hold it to the API it serves.
 *
 * <p>The client reads and writes the registry's JSON itself (snake_case, unknown fields ignored), whatever the
 * calling service's Jackson settings. A lookup of something the registry does not hold answers empty; every other
 * failure (the registry unreachable, slow, failing, or answering what is not its API) is a
 * {@link RestClientException}. Thread-safe: services hold one.
 */
public final class RegistryClient {

    /** Models per page of the registry's listing: its largest page. */
    static final int PAGE = 500;

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private final RestClient http;
    private final String actor;
    private final int pageSize;

    private RegistryClient(RestClient http, String actor, int pageSize) {
        this.http = http;
        this.actor = actor;
        this.pageSize = pageSize;
    }

    /**
     * A client on the service's {@link RestClient.Builder} (a Spring Boot application passes its own, so the calls
     * are observed like its others); the builder is cloned, not changed.
     */
    public static RegistryClient create(RestClient.Builder builder, RegistryConnection connection) {
        return create(builder, connection, PAGE);
    }

    static RegistryClient create(RestClient.Builder builder, RegistryConnection connection, int pageSize) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(connection.connectTimeout())
                .build());
        requests.setReadTimeout(connection.readTimeout());
        return new RegistryClient(
                builder.clone()
                        .baseUrl(connection.url().toString())
                        .requestFactory(requests)
                        .defaultHeader("X-Sextant-Actor", connection.actor())
                        .build(),
                connection.actor(),
                pageSize);
    }

    /** Who the client's calls are recorded as: the registry's {@code created_by}, {@code changed_by} of its changes. */
    public String actor() {
        return actor;
    }

    private record ModelPage(List<RegisteredModel> models) {}

    private record VersionPage(List<ModelVersion> versions) {}

    private record Created(int version) {}

    /** Every registered model, a page at a time. */
    public List<RegisteredModel> models() {
        List<RegisteredModel> models = new ArrayList<>();
        for (int offset = 0; ; offset += pageSize) {
            int from = offset;
            ModelPage page =
                    read(ModelPage.class, () -> get("/api/v1/models?limit={limit}&offset={offset}", pageSize, from));
            if (page.models() == null) {
                throw new RestClientException("the registry answered a model page without models");
            }
            models.addAll(page.models());
            if (page.models().size() < pageSize) {
                return models;
            }
        }
    }

    /** The model; empty when it is not registered. */
    public Optional<RegisteredModel> model(String name) {
        return found(() -> read(RegisteredModel.class, () -> get("/api/v1/models/{name}", name)));
    }

    /** The version's description and binding; empty when the model or the version does not exist. */
    public Optional<ModelVersion> version(String name, int version) {
        return found(
                () -> read(ModelVersion.class, () -> get("/api/v1/models/{name}/versions/{version}", name, version)));
    }

    /** Where the alias points, with that version; empty when the model or the alias does not exist. */
    public Optional<AliasTarget> alias(String name, String alias) {
        return found(() -> read(AliasTarget.class, () -> get("/api/v1/models/{name}/aliases/{alias}", name, alias)));
    }

    /** The version's ONNX artifact. */
    public byte[] artifact(String name, int version) {
        byte[] artifact = http.get()
                .uri("/api/v1/models/{name}/versions/{version}/artifact", name, version)
                .retrieve()
                .body(byte[].class);
        if (artifact == null) {
            throw new RestClientException("the registry answered no artifact for " + name + " v" + version);
        }
        return artifact;
    }

    /** The latest version that carries the tag; empty when none does (or the model does not exist). */
    public Optional<ModelVersion> taggedVersion(String name, String tag, String value) {
        return found(() -> read(
                        VersionPage.class,
                        () -> get("/api/v1/models/{name}/versions?tag={tag}&limit=1", name, tag + "=" + value)))
                .flatMap(page -> page.versions() == null
                        ? Optional.empty()
                        : page.versions().stream().findFirst());
    }

    /**
     * Registers a version: its ONNX artifact, its metadata (the registry's {@code metadata} part: binding, tags,
     * metrics, lineage, reference distributions) and the native model it was exported from, if any (its format
     * named in the metadata's {@code lineage.native_model}). Answers its number.
     */
    public int register(String name, byte[] onnx, byte[] nativeModel, Map<String, Object> metadata) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", file(onnx, "model.onnx"));
        if (nativeModel != null) {
            parts.add("native", file(nativeModel, "model.native"));
        }
        HttpHeaders metadataHeaders = new HttpHeaders();
        metadataHeaders.setContentType(MediaType.APPLICATION_JSON);
        parts.add("metadata", new HttpEntity<>(JSON.writeValueAsString(metadata), metadataHeaders));
        return read(Created.class, () -> http.post()
                        .uri("/api/v1/models/{name}/versions", name)
                        .contentType(MediaType.MULTIPART_FORM_DATA)
                        .body(parts)
                        .retrieve()
                        .body(String.class))
                .version();
    }

    /** Points the alias at the version, recording why. */
    public void setAlias(String name, String alias, int version, String reason) {
        http.put()
                .uri("/api/v1/models/{name}/aliases/{alias}", name, alias)
                .contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(Map.of("version", version, "reason", reason)))
                .retrieve()
                .toBodilessEntity();
    }

    /** The model's running or paused rollout, with its spec and history; empty when it has none. */
    public Optional<Rollout> activeRollout(String name) {
        return found(() -> read(Rollout.class, () -> get("/api/v1/models/{name}/rollouts/active", name)));
    }

    /**
     * Takes the action on the rollout. False when the registry refused it because the rollout changed since the
     * action's revision (409): the caller reads the rollout again and decides anew.
     */
    public boolean act(String name, long rollout, RolloutAction action) {
        try {
            http.post()
                    .uri("/api/v1/models/{name}/rollouts/{id}/actions", name, rollout)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(JSON.writeValueAsString(action))
                    .retrieve()
                    .toBodilessEntity();
            return true;
        } catch (HttpClientErrorException.Conflict e) {
            return false;
        }
    }

    private String get(String uri, Object... variables) {
        return http.get().uri(uri, variables).retrieve().body(String.class);
    }

    private static <T> Optional<T> found(Supplier<T> lookup) {
        try {
            return Optional.of(lookup.get());
        } catch (HttpClientErrorException.NotFound e) {
            return Optional.empty();
        }
    }

    private static <T> T read(Class<T> type, Supplier<String> call) {
        String body = call.get();
        if (body == null || body.isBlank()) {
            throw new RestClientException("the registry answered an empty body where it sends " + name(type));
        }
        try {
            return JSON.readValue(body, type);
        } catch (JacksonException e) {
            throw new RestClientException(
                    "the registry's answer is not " + name(type) + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String name(Class<?> type) {
        return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    private static HttpEntity<ByteArrayResource> file(byte[] bytes, String filename) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
        return new HttpEntity<>(
                new ByteArrayResource(bytes) {
                    @Override
                    public String getFilename() {
                        return filename;
                    }
                },
                headers);
    }
}
