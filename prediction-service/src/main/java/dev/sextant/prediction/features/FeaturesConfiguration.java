package dev.sextant.prediction.features;

import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.features.client.online.OnlineFeatureReader;
import dev.sextant.features.client.online.OnlineStoreConnection;
import dev.sextant.prediction.PredictionProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The online store, read in-process through feature-store-client: the feature repository (the same definitions
 * the feature store serves), one shared Lettuce connection to its Redis, and the reader.
 */
@Configuration(proxyBeanMethods = false)
class FeaturesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FeaturesConfiguration.class);

    @Bean
    FeatureRepository featureRepository(PredictionProperties properties) {
        String directory = properties.features().repository();
        FeatureRepository repository = FeatureRepositoryLoader.loadOrBundled(directory);
        log.info(
                "feature repository {}: {} feature views, {} on-demand views",
                directory == null || directory.isBlank() ? "(bundled)" : directory,
                repository.views().size(),
                repository.onDemandViews().size());
        return repository;
    }

    /**
     * Connects on first use, which {@link OnlineStoreWarmUp} makes the start; the service starts, and serves the
     * Open Inference Protocol, while Redis is down.
     */
    @Bean(destroyMethod = "close")
    OnlineStoreConnection onlineStoreConnection(
            @Value("${spring.data.redis.url}") String redisUrl, PredictionProperties properties) {
        return new OnlineStoreConnection(redisUrl, properties.features().timeout());
    }

    @Bean
    OnlineFeatureReader onlineFeatureReader(
            FeatureRepository repository, OnlineStoreConnection connection, PredictionProperties properties) {
        PredictionProperties.Features features = properties.features();
        return new OnlineFeatureReader(
                repository, connection, features.timeout(), features.maxRows(), Clock.systemUTC());
    }
}
