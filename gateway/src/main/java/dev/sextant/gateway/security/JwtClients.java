package dev.sextant.gateway.security;

import dev.sextant.gateway.GatewayProperties;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * A validated bearer token as a client: named by the configured client claim (else {@code sub}), with the roles
 * its roles claim lists ({@code predict}, {@code admin}; other values are ignored, so a token from a shared
 * identity provider may carry roles of other systems). The roles claim may be a dotted path into nested claims,
 * such as Keycloak's {@code realm_access.roles}. A client name that is not 1-200 printable characters is refused
 * (401): it becomes the {@code X-Sextant-Actor} that the services record.
 */
final class JwtClients implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

    private static final Pattern CLIENT_NAME = Pattern.compile("[\\p{Graph} ]{1,200}");

    private final GatewayProperties.Jwt properties;

    JwtClients(GatewayProperties.Jwt properties) {
        this.properties = properties;
    }

    @Override
    public Mono<AbstractAuthenticationToken> convert(Jwt jwt) {
        String client = jwt.getClaimAsString(properties.clientClaim());
        if (client == null) {
            client = jwt.getSubject();
        }
        if (client == null || !CLIENT_NAME.matcher(client).matches()) {
            return Mono.error(new BadCredentialsException("the token names no client in " + properties.clientClaim()
                    + " or sub that is 1-200 printable characters"));
        }
        return Mono.just(new JwtAuthenticationToken(jwt, authorities(jwt), client));
    }

    /**
     * The roles claim: the top-level claim of that name (which may hold dots, as Auth0's namespaced
     * {@code https://example.com/roles} does), else the dotted path through nested objects.
     */
    private Object rolesClaim(Jwt jwt) {
        Object claim = jwt.getClaims().get(properties.rolesClaim());
        if (claim != null) {
            return claim;
        }
        claim = jwt.getClaims();
        for (String name : properties.rolesClaim().split("\\.")) {
            if (!(claim instanceof Map<?, ?> object)) {
                return null;
            }
            claim = object.get(name);
        }
        return claim;
    }

    private Collection<GrantedAuthority> authorities(Jwt jwt) {
        Object claim = rolesClaim(jwt);
        Stream<String> names;
        if (claim instanceof Collection<?> values) {
            names = values.stream().map(String::valueOf);
        } else if (claim instanceof String value) {
            names = Stream.of(value.split("[\\s,]+"));
        } else {
            return List.of();
        }
        return names.filter(name -> !name.isBlank())
                .map(Role::named)
                .flatMap(java.util.Optional::stream)
                .flatMap(role -> role.authorities().stream())
                .distinct()
                .toList();
    }
}
