package dev.sextant.gateway.openapi;

import dev.sextant.gateway.GatewayProperties;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springdoc.core.properties.AbstractSwaggerUiConfigProperties.SwaggerUrl;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The services' API documents at the front door: {@code GET /openapi/<service>} is the service's
 * {@code /v3/api-docs}, rewritten to say how the gateway is called (its own address as the server, and the API key
 * and bearer token it takes), and Swagger UI at {@code /swagger-ui.html} lists every service. Nothing else of a
 * service's internals is routed.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiRoutes {

    static final String PREFIX = "/openapi/";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Swagger UI lists the services' documents, as the gateway serves them. */
    OpenApiRoutes(SwaggerUiConfigProperties swaggerUi, GatewayProperties properties) {
        Set<SwaggerUrl> urls = new LinkedHashSet<>();
        properties.openapi().keySet().forEach(service -> urls.add(new SwaggerUrl(service, PREFIX + service, service)));
        swaggerUi.setUrls(urls);
    }

    @Bean
    RouteLocator openApiRouteLocator(RouteLocatorBuilder routes, GatewayProperties properties) {
        RouteLocatorBuilder.Builder builder = routes.routes();
        properties
                .openapi()
                .forEach((service, url) -> builder.route("openapi-" + service, route -> route.path(PREFIX + service)
                        .and()
                        .method("GET")
                        .filters(filters -> filters.setPath("/v3/api-docs")
                                .modifyResponseBody(
                                        String.class,
                                        String.class,
                                        MediaType.APPLICATION_JSON_VALUE,
                                        (exchange, body) -> Mono.justOrEmpty(
                                                body == null ? null : asCalledThroughTheGateway(body))))
                        .uri(url)));
        return builder.build();
    }

    /** The document with the gateway as its only server and its two ways to authenticate, required everywhere. */
    static String asCalledThroughTheGateway(String document) {
        JsonNode parsed = JSON.readTree(document);
        if (!(parsed instanceof ObjectNode root)) {
            return document;
        }
        root.putArray("servers").addObject().put("url", "/").put("description", "the Sextant gateway");
        ObjectNode schemes = root.withObject("/components").withObject("/securitySchemes");
        schemes.putObject("apiKey")
                .put("type", "apiKey")
                .put("in", "header")
                .put("name", "X-API-Key")
                .put("description", "an API key: role predict for predictions and reads, admin for changes");
        schemes.putObject("bearer")
                .put("type", "http")
                .put("scheme", "bearer")
                .put("bearerFormat", "JWT")
                .put("description", "an OAuth2 access token whose roles claim lists predict or admin");
        var security = root.putArray("security");
        security.addObject().putArray("apiKey");
        security.addObject().putArray("bearer");
        return JSON.writeValueAsString(root);
    }
}
