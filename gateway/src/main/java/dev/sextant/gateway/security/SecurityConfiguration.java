package dev.sextant.gateway.security;

import dev.sextant.gateway.GatewayProperties;
import dev.sextant.gateway.web.Problems;
import dev.sextant.gateway.web.RequestAttributes;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;

/**
 * Who may call what: API keys ({@link ApiKeyAuthentication}) and, when an issuer or keys are configured, OAuth2
 * bearer tokens ({@link JwtClients}); the role each request needs ({@link AccessRules}); 401 and 403 as problem
 * details; stateless (no sessions, no CSRF); CORS and security headers on every response.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final String CHALLENGE = "Bearer realm=\"sextant\", ApiKey realm=\"sextant\" header=\"X-API-Key\"";

    @Bean
    SecurityWebFilterChain securityWebFilterChain(
            ServerHttpSecurity http, GatewayProperties properties, ObjectProvider<ReactiveJwtDecoder> jwtDecoder) {
        ServerAuthenticationEntryPoint unauthorized = SecurityConfiguration::unauthorized;
        ApiKeyAuthentication apiKeys = new ApiKeyAuthentication(properties.apiKeys());
        AuthenticationWebFilter apiKeyFilter = new AuthenticationWebFilter(apiKeys);
        apiKeyFilter.setServerAuthenticationConverter(apiKeys);
        apiKeyFilter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(unauthorized));
        apiKeyFilter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());

        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .cors(cors -> cors.configurationSource(cors(properties.cors())))
                .headers(headers -> headers.contentSecurityPolicy(
                                csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .referrerPolicy(referrer ->
                                referrer.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.NO_REFERRER)))
                .addFilterAt(apiKeyFilter, SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(exchanges -> exchanges.anyExchange().access(SecurityConfiguration::decide))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(SecurityConfiguration.forbidden()));
        ReactiveJwtDecoder decoder = jwtDecoder.getIfAvailable();
        if (decoder != null) {
            http.oauth2ResourceServer(oauth -> oauth.authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden())
                    .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(new JwtClients(properties.jwt()))));
        }
        if (!apiKeys.configured() && decoder == null) {
            log.warn("No API keys (sextant.gateway.api-keys) and no JWT issuer or keys"
                    + " (spring.security.oauth2.resourceserver.jwt.*) are configured: every routed request is"
                    + " refused with 401. ./sextant start configures both a predict and an admin key.");
        }
        return http.build();
    }

    /**
     * No observation of Spring Security's filters: with one, every filter of the chain is wrapped in an observed
     * decorator (a checkpoint and a context per filter and request) even when the observation itself is switched
     * off. The gateway's own request metrics and access log say what a request met.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    ServerWebExchangeFirewall firewall() {
        return new RequestFirewall();
    }

    /** What the {@link RequestFirewall} refuses, as a 400 problem. */
    @Bean
    ServerExchangeRejectedHandler exchangeRejectedHandler() {
        return (exchange, rejected) ->
                Problems.write(exchange, HttpStatus.BAD_REQUEST, "the request was refused: " + rejected.getMessage());
    }

    private static Mono<AuthorizationResult> decide(Mono<Authentication> authentication, AuthorizationContext context) {
        AccessRules.Access access = AccessRules.required(context.getExchange().getRequest());
        return switch (access) {
            case PUBLIC -> Mono.just((AuthorizationResult) new AuthorizationDecision(true));
            case NOBODY -> Mono.just((AuthorizationResult) new AuthorizationDecision(false));
            default ->
                authentication
                        .filter(Authentication::isAuthenticated)
                        .<AuthorizationResult>map(auth -> new AuthorizationDecision(
                                has(auth, access.role().orElseThrow())))
                        .defaultIfEmpty(new AuthorizationDecision(false));
        };
    }

    private static boolean has(Authentication authentication, Role role) {
        String authority = "ROLE_" + role.name();
        for (GrantedAuthority granted : authentication.getAuthorities()) {
            if (authority.equals(granted.getAuthority())) {
                return true;
            }
        }
        return false;
    }

    private static Mono<Void> unauthorized(
            org.springframework.web.server.ServerWebExchange exchange,
            org.springframework.security.core.AuthenticationException e) {
        exchange.getResponse().getHeaders().set("WWW-Authenticate", CHALLENGE);
        boolean presented = exchange.getRequest().getHeaders().containsHeader(ApiKeyAuthentication.HEADER)
                || exchange.getRequest().getHeaders().containsHeader("Authorization");
        String detail = presented
                ? "the credentials are not valid: " + e.getMessage()
                : "this path needs credentials: an API key in the " + ApiKeyAuthentication.HEADER
                        + " header or an OAuth2 bearer token in Authorization";
        return Problems.write(exchange, HttpStatus.UNAUTHORIZED, detail);
    }

    private static ServerAccessDeniedHandler forbidden() {
        return (exchange, denied) -> exchange.getPrincipal()
                .map(principal -> principal.getName())
                .defaultIfEmpty("")
                .flatMap(client -> {
                    var request = exchange.getRequest();
                    AccessRules.Access access = AccessRules.required(request);
                    if (!client.isEmpty()) {
                        exchange.getAttributes().put(RequestAttributes.CLIENT, client);
                    }
                    String detail = access.role()
                            .map(role -> "client '" + client + "' lacks the role " + request.getMethod() + " "
                                    + request.getPath().value() + " needs: "
                                    + role.name().toLowerCase(java.util.Locale.ROOT))
                            .orElse(request.getPath().value() + " is not served by the gateway");
                    return Problems.write(exchange, HttpStatus.FORBIDDEN, detail);
                });
    }

    private static CorsConfigurationSource cors(GatewayProperties.Cors properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (properties.allowedOrigins().isEmpty()) {
            return source;
        }
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "DELETE"));
        cors.setAllowedHeaders(List.of(
                "Authorization",
                "Content-Type",
                ApiKeyAuthentication.HEADER,
                "X-Request-Id",
                "traceparent",
                "tracestate"));
        cors.setExposedHeaders(List.of(
                "X-Request-Id",
                "traceparent",
                "Retry-After",
                "X-RateLimit-Remaining",
                "X-RateLimit-Burst-Capacity",
                "X-RateLimit-Replenish-Rate"));
        cors.setMaxAge(properties.maxAge());
        source.registerCorsConfiguration("/**", cors);
        return source;
    }
}
