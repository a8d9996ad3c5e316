package dev.sextant.features.online;

import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.online.OnlineFeatureReader;
import dev.sextant.features.client.online.OnlineFeatureWriter;
import dev.sextant.features.client.online.OnlineStoreConnection;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The online store through the feature-store client: one connection (from spring.data.redis.url), reader, writer. */
@Configuration(proxyBeanMethods = false)
class OnlineStoreConfiguration {

    /** The online store's settings, for the components of {@code online}. */
    @Bean
    FeatureStoreProperties.Online onlineSettings(FeatureStoreProperties properties) {
        return properties.online();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    OnlineStoreConnection onlineStoreConnection(
            @Value("${spring.data.redis.url}") String redisUrl, FeatureStoreProperties properties) {
        return new OnlineStoreConnection(redisUrl, properties.online().timeout());
    }

    @Bean
    OnlineFeatureReader onlineFeatureReader(
            FeatureRepository repository,
            OnlineStoreConnection connection,
            FeatureStoreProperties properties,
            Clock clock) {
        FeatureStoreProperties.Online online = properties.online();
        return new OnlineFeatureReader(repository, connection, online.timeout(), online.maxEntityRows(), clock);
    }

    @Bean
    OnlineFeatureWriter onlineFeatureWriter(OnlineStoreConnection connection, FeatureStoreProperties properties) {
        return new OnlineFeatureWriter(
                connection, properties.online().timeout(), properties.online().expiryGrace());
    }
}
