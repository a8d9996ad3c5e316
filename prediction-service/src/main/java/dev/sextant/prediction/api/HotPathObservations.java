package dev.sextant.prediction.api;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Infer and predict requests are measured once, by {@code sextant.prediction.requests} (API, model, version,
 * outcome), not a second time by Spring's {@code http.server.requests} observation: on a request that takes a
 * tenth of a millisecond, that observation's tags and timer cost about five percent of the CPU. Every other
 * endpoint keeps it.
 */
@Configuration(proxyBeanMethods = false)
class HotPathObservations {

    @Bean
    ObservationPredicate predictionRequestsObservedOnce() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && prediction(server.getCarrier().getRequestURI()));
    }

    static boolean prediction(String path) {
        return (path.startsWith("/v2/models/") && path.endsWith("/infer")) || path.startsWith("/api/v1/predict/");
    }
}
