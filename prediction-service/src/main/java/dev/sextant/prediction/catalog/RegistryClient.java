package dev.sextant.prediction.catalog;

import dev.sextant.prediction.PredictionProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** Reads models, versions and artifacts from the model registry's API. */
@Component
class RegistryClient {

    private static final int PAGE = 100;

    private final RestClient http;

    RegistryClient(RestClient.Builder builder, PredictionProperties.Registry registry) {
        HttpClientSettings settings =
                HttpClientSettings.defaults().withTimeouts(registry.timeout(), registry.timeout());
        this.http = builder.baseUrl(registry.url().toString())
                .requestFactory(ClientHttpRequestFactoryBuilder.jdk().build(settings))
                .build();
    }

    record RegisteredModel(String name, Map<String, Integer> aliases) {}

    record ModelPage(List<RegisteredModel> models) {}

    /** A version as the registry describes it; {@code features} is its feature binding, in input-column order. */
    record Version(String name, int version, String sha256, List<FeatureBinding> features) {

        Version {
            features = features == null ? List.of() : List.copyOf(features);
        }
    }

    /**
     * A model's running or paused rollout, as much of it as serving needs (the registry's resource, ADR 0008): who
     * answers which share of requests, assigned by {@code key}'s value and {@code salt}, and the shadow.
     */
    record Rollout(long id, int revision, String key, String salt, List<Arm> arms, Shadow shadow) {

        Rollout {
            arms = arms == null ? List.of() : List.copyOf(arms);
        }

        /** @param role {@code champion} or {@code challenger}; weight in percent */
        record Arm(int version, String role, double weight) {}

        /** @param share of requests the shadow scores, in (0, 1] */
        record Shadow(int version, double share) {}
    }

    /** The model's running or paused rollout; empty when it has none. */
    Optional<Rollout> activeRollout(String name) {
        try {
            return Optional.ofNullable(http.get()
                    .uri("/api/v1/models/{name}/rollouts/active", name)
                    .retrieve()
                    .body(Rollout.class));
        } catch (HttpClientErrorException.NotFound e) {
            return Optional.empty();
        }
    }

    /** The registered models that hold at least one alias; all of them, page by page. */
    List<RegisteredModel> modelsWithAliases() {
        List<RegisteredModel> models = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            ModelPage page = http.get()
                    .uri("/api/v1/models?limit={limit}&offset={offset}", PAGE, offset)
                    .retrieve()
                    .body(ModelPage.class);
            if (page == null || page.models() == null) {
                throw new RestClientException("the registry answered an empty model page");
            }
            page.models().stream().filter(model -> !model.aliases().isEmpty()).forEach(models::add);
            if (page.models().size() < PAGE) {
                return models;
            }
        }
    }

    RegisteredModel model(String name) {
        return http.get().uri("/api/v1/models/{name}", name).retrieve().body(RegisteredModel.class);
    }

    Version version(String name, int version) {
        return http.get()
                .uri("/api/v1/models/{name}/versions/{version}", name, version)
                .retrieve()
                .body(Version.class);
    }

    byte[] artifact(String name, int version) {
        return http.get()
                .uri("/api/v1/models/{name}/versions/{version}/artifact", name, version)
                .retrieve()
                .body(byte[].class);
    }
}
