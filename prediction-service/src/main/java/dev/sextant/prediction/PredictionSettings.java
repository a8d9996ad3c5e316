package dev.sextant.prediction;

import dev.sextant.prediction.catalog.ServedModels;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each part of {@code sextant.prediction.*}, typed, for the components that need it (none reads the whole). */
@Configuration(proxyBeanMethods = false)
class PredictionSettings {

    @Bean
    PredictionProperties.Registry registrySettings(PredictionProperties properties) {
        return properties.registry();
    }

    @Bean
    ServedModels servedModels(PredictionProperties properties) {
        return new ServedModels(properties.models());
    }

    @Bean
    PredictionProperties.Runtime runtimeSettings(PredictionProperties properties) {
        return properties.runtime();
    }

    @Bean
    PredictionProperties.Batching batchingSettings(PredictionProperties properties) {
        return properties.batching();
    }

    @Bean
    PredictionProperties.Features featureSettings(PredictionProperties properties) {
        return properties.features();
    }

    @Bean
    PredictionProperties.Logs logSettings(PredictionProperties properties) {
        return properties.logs();
    }

    @Bean
    PredictionProperties.Shadow shadowSettings(PredictionProperties properties) {
        return properties.shadow();
    }
}
