package dev.sextant.gateway.security;

import dev.sextant.gateway.GatewayProperties;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * A validated bearer token as a client: named by the configured client claim (else {@code sub}), with the roles
 * its roles claim lists ({@code predict}, {@code admin}; other values are ignored, so a token from a shared
 * identity provider may carry roles of other systems).
 */
final class JwtClients implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

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
        return Mono.just(new JwtAuthenticationToken(jwt, authorities(jwt), client));
    }

    private Collection<GrantedAuthority> authorities(Jwt jwt) {
        Object claim = jwt.getClaims().get(properties.rolesClaim());
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
