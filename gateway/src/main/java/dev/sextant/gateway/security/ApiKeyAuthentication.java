package dev.sextant.gateway.security;

import dev.sextant.gateway.GatewayProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * API keys in the {@value #HEADER} header. Only each key's SHA-256 is configured: the presented key is hashed
 * and looked up, so the gateway never holds a key it could leak. A SHA-256 without salt is enough because keys
 * are long random strings, not passwords (the choice GitHub and Stripe tokens make).
 */
final class ApiKeyAuthentication implements ServerAuthenticationConverter, ReactiveAuthenticationManager {

    static final String HEADER = "X-API-Key";

    private final Map<String, Client> clientsByHash;

    ApiKeyAuthentication(Map<String, GatewayProperties.ApiKey> keys) {
        this.clientsByHash = keys.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(
                        entry -> entry.getValue().sha256().toLowerCase(Locale.ROOT),
                        entry -> new Client(entry.getKey(), authorities(entry.getValue()))));
    }

    boolean configured() {
        return !clientsByHash.isEmpty();
    }

    /** The presented key, unauthenticated; empty when the request has none (then bearer tokens are tried). */
    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String key = exchange.getRequest().getHeaders().getFirst(HEADER);
        if (key == null) {
            return Mono.empty();
        }
        return Mono.just(UsernamePasswordAuthenticationToken.unauthenticated(null, key));
    }

    @Override
    public Mono<Authentication> authenticate(Authentication presented) {
        Client client = clientsByHash.get(sha256((String) presented.getCredentials()));
        if (client == null) {
            return Mono.error(new BadCredentialsException("the API key in " + HEADER + " is not known"));
        }
        return Mono.just(UsernamePasswordAuthenticationToken.authenticated(client.id(), null, client.authorities()));
    }

    static String sha256(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static List<GrantedAuthority> authorities(GatewayProperties.ApiKey key) {
        return key.roles().stream()
                .flatMap(role -> role.authorities().stream())
                .distinct()
                .toList();
    }

    private record Client(String id, List<GrantedAuthority> authorities) {}
}
