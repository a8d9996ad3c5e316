package dev.sextant.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.gateway.GatewayProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

class JwtClientsTest {

    @Test
    void readsRolesFromATopLevelClaimAsAnArrayOrAString() {
        assertThat(roles("roles", Map.of("roles", List.of("predict", "viewer"))))
                .containsExactly("ROLE_PREDICT");
        assertThat(roles("roles", Map.of("roles", "viewer admin"))).containsExactly("ROLE_ADMIN", "ROLE_PREDICT");
    }

    @Test
    void readsRolesFromANestedClaimByItsDottedPath() {
        Map<String, Object> keycloak = Map.of("realm_access", Map.of("roles", List.of("admin")));
        assertThat(roles("realm_access.roles", keycloak)).containsExactly("ROLE_ADMIN", "ROLE_PREDICT");
        assertThat(roles("realm_access.missing", keycloak)).isEmpty();
        assertThat(roles("roles.nested", Map.of("roles", "admin"))).isEmpty();
    }

    @Test
    void readsATopLevelClaimWhoseNameHoldsDotsBeforeTryingAPath() {
        assertThat(roles("https://sextant.dev/roles", Map.of("https://sextant.dev/roles", List.of("predict"))))
                .containsExactly("ROLE_PREDICT");
    }

    @Test
    void refusesATokenWhoseClientNameIsNotOneToTwoHundredPrintableCharacters() {
        JwtClients clients = new JwtClients(new GatewayProperties.Jwt("roles", "client_id"));
        for (String name : List.of("c".repeat(201), "line\nbreak", "tab\tbed")) {
            assertThatThrownBy(() ->
                            clients.convert(jwt(Map.of("client_id", name))).block())
                    .isInstanceOf(BadCredentialsException.class)
                    .hasMessageContaining("1-200 printable characters");
        }
        assertThat(clients.convert(jwt(Map.of("client_id", "c".repeat(200))))
                        .block()
                        .getName())
                .hasSize(200);
        assertThat(clients.convert(jwt(Map.of())).block().getName()).isEqualTo("user-1");
    }

    private static List<String> roles(String claim, Map<String, Object> claims) {
        return new JwtClients(new GatewayProperties.Jwt(claim, "client_id"))
                .convert(jwt(claims)).block().getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .toList();
    }

    private static Jwt jwt(Map<String, Object> claims) {
        Jwt.Builder builder = Jwt.withTokenValue("token")
                .header("alg", "RS256")
                .subject("user-1")
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60));
        claims.forEach(builder::claim);
        return builder.build();
    }
}
