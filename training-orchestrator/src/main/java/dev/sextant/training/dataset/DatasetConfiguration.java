package dev.sextant.training.dataset;

import dev.sextant.training.TrainingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/** The feature store's client, at the configured URL. */
@Configuration(proxyBeanMethods = false)
class DatasetConfiguration {

    @Bean
    FeatureStoreClient featureStoreClient(RestClient.Builder builder, TrainingProperties properties, JsonMapper json) {
        return new FeatureStoreClient(builder, properties.featureStoreUrl(), json);
    }
}
