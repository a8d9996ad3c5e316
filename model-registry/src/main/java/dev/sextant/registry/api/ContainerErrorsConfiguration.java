package dev.sextant.registry.api;

import org.apache.catalina.core.StandardHost;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bad requests that the servlet container judges before Spring sees them still get problem details:
 *
 * <ul>
 *   <li>An encoded '/' in a path segment ({@code /api/v1/models/..%2Fx/versions}) is passed through to the
 *       application, which rejects the decoded name {@code ../x} with the naming rule. Safe here: names never
 *       become file paths (artifacts are addressed by digest).
 *   <li>What Tomcat still rejects itself (an encoded NUL, a malformed escape, an oversized header) is
 *       answered by {@link ProblemJsonErrorReportValve} instead of Tomcat's HTML page.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrorsConfiguration {

    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheApplication() {
        return connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
    }

    @Bean
    TomcatContextCustomizer problemDetailsForContainerErrors() {
        return context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemJsonErrorReportValve.class.getName());
            }
        };
    }
}
