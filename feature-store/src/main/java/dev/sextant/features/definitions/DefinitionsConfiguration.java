package dev.sextant.features.definitions;

import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the feature repository at startup: the directory named by {@code sextant.features.repository}, or the
 * repository a domain jar on the classpath ships (the example fraud domain's). A definition error stops the service with a message naming the file
 * and the field.
 */
@Configuration(proxyBeanMethods = false)
class DefinitionsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DefinitionsConfiguration.class);

    @Bean
    FeatureRepository featureRepository(FeatureStoreProperties properties) {
        String directory = properties.repository();
        FeatureRepository repository = FeatureRepositoryLoader.loadOrBundled(directory);
        log.info(
                "feature repository {}: {} entities, {} feature views",
                directory == null || directory.isBlank() ? "(bundled)" : directory,
                repository.entities().size(),
                repository.views().size());
        return repository;
    }
}
