package dev.sextant.admission;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The {@link Admission} of every service that depends on this module, unless {@code sextant.admission.enabled} is
 * false; in a servlet service also its {@link AdmissionFilter}. A reactive service (the gateway) wraps the same
 * {@link Admission} in its own WebFilter.
 */
@AutoConfiguration
@EnableConfigurationProperties(AdmissionProperties.class)
@ConditionalOnProperty(prefix = "sextant.admission", name = "enabled", matchIfMissing = true)
public class AdmissionAutoConfiguration {

    /**
     * Right after the request's observation ({@code ServerHttpObservationFilter} is at highest precedence + 1), so
     * a refusal is timed and counted, and before anything else does work for the request.
     */
    static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    @Bean
    Admission admission(
            @Value("${spring.application.name:the service}") String service, AdmissionProperties properties) {
        return new Admission(service, properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "jakarta.servlet.Filter")
    static class Servlet {

        @Bean
        FilterRegistrationBean<AdmissionFilter> admissionFilter(Admission admission) {
            FilterRegistrationBean<AdmissionFilter> registration =
                    new FilterRegistrationBean<>(new AdmissionFilter(admission));
            registration.setOrder(FILTER_ORDER);
            return registration;
        }
    }
}
