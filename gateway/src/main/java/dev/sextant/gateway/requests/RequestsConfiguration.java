package dev.sextant.gateway.requests;

import dev.sextant.gateway.GatewayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The filters every request passes, given their settings from {@code sextant.gateway.*}. */
@Configuration(proxyBeanMethods = false)
class RequestsConfiguration {

    @Bean
    RequestContextFilter requestContextFilter(GatewayProperties properties) {
        return new RequestContextFilter(properties.accessLog());
    }

    @Bean
    RequestSizeFilter requestSizeFilter(GatewayProperties properties) {
        return new RequestSizeFilter(properties.maxRequestSize());
    }
}
