package dev.sextant.features.offline;

import dev.sextant.features.FeatureStoreProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The offline store's settings ({@code sextant.features.offline.*}), for the components of {@code offline}. */
@Configuration(proxyBeanMethods = false)
class OfflineConfiguration {

    @Bean
    FeatureStoreProperties.Offline offlineSettings(FeatureStoreProperties properties) {
        return properties.offline();
    }
}
