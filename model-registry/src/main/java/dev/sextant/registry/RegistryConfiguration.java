package dev.sextant.registry;

import dev.sextant.registry.model.UploadLimits;
import jakarta.servlet.MultipartConfigElement;
import java.time.Clock;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The registry's infrastructure beans. Multipart limits are derived from the one upload setting, {@code sextant.registry.max-artifact-size}. Parts are
 * written to disk as they arrive (threshold 0), so an upload is never held whole in memory.
 */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    /** The model-events.v1 outbox and relay's settings, for the components of {@code events}. */
    @Bean
    RegistryProperties.Events eventSettings(RegistryProperties properties) {
        return properties.events();
    }

    /** The largest uploads, for the models API and its service. */
    @Bean
    UploadLimits uploadLimits(RegistryProperties properties) {
        return new UploadLimits(
                properties.maxArtifactSize().toBytes(),
                properties.maxMetadataSize().toBytes());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    MultipartConfigElement multipartConfigElement(RegistryProperties properties) {
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setMaxFileSize(properties.maxArtifactSize());
        factory.setMaxRequestSize(DataSize.ofBytes(properties.maxArtifactSize().toBytes()
                + properties.maxMetadataSize().toBytes()
                + DataSize.ofKilobytes(64).toBytes()));
        factory.setFileSizeThreshold(DataSize.ofBytes(0));
        return factory.createMultipartConfig();
    }
}
