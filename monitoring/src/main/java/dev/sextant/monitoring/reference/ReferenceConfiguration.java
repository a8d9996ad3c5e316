package dev.sextant.monitoring.reference;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.registry.client.RegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The reference profiles, read through the registry's client and kept for {@code reference-cache-size} versions. */
@Configuration(proxyBeanMethods = false)
class ReferenceConfiguration {

    @Bean
    ReferenceProfiles referenceProfiles(
            RegistryClient registry, MonitoringProperties properties, MeterRegistry meters) {
        return new ReferenceProfiles(registry, properties.referenceCacheSize(), meters);
    }
}
