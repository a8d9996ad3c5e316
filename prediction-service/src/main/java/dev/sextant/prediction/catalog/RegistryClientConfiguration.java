package dev.sextant.prediction.catalog;

import dev.sextant.prediction.PredictionProperties;
import dev.sextant.registry.client.RegistryClient;
import dev.sextant.registry.client.RegistryConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** The catalog reads models, versions, artifacts and rollouts through the registry's client. */
@Configuration(proxyBeanMethods = false)
class RegistryClientConfiguration {

    static final String ACTOR = "prediction-service";

    @Bean
    RegistryClient registryClient(RestClient.Builder builder, PredictionProperties.Registry registry) {
        return RegistryClient.create(
                builder, new RegistryConnection(registry.url(), registry.timeout(), registry.timeout(), ACTOR));
    }
}
