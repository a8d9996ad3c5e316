package dev.sextant.monitoring.drift;

import dev.sextant.monitoring.MonitoringProperties;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The drift thresholds as configured, before any change made through the API. */
@Configuration(proxyBeanMethods = false)
class DriftConfiguration {

    @Bean
    ThresholdSettings thresholdSettings(MonitoringProperties properties) {
        return new ThresholdSettings(
                properties.thresholds(), properties.features() == null ? Map.of() : properties.features());
    }
}
