package dev.sextant.gateway;

import dev.sextant.gateway.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the gateway, under {@code sextant.gateway}. The routes themselves, their backends and
 * timeouts are Spring Cloud Gateway's {@code spring.cloud.gateway.server.webflux.routes}.
 *
 * @param apiKeys API clients by id: the SHA-256 of each client's key (never the key) and its roles
 * @param jwt how bearer tokens map to clients and roles (the issuer and keys are Spring Security's
 *     {@code spring.security.oauth2.resourceserver.jwt.*})
 * @param rateLimits per-client token buckets in Redis
 * @param maxRequestSize the largest request body a route accepts unless its metadata says
 *     {@code max-request-size}
 * @param cors cross-origin access for browser clients such as the dashboard
 * @param accessLog whether each request is logged (logger {@code dev.sextant.gateway.access})
 * @param openapi the services whose OpenAPI documents the gateway serves at {@code /openapi/<service>}, by name,
 *     with their base URLs
 */
@Validated
@ConfigurationProperties("sextant.gateway")
public record GatewayProperties(
        @DefaultValue Map<String, @Valid ApiKey> apiKeys,
        @Valid @NotNull Jwt jwt,
        @Valid @NotNull RateLimits rateLimits,
        @NotNull DataSize maxRequestSize,
        @Valid @NotNull Cors cors,
        boolean accessLog,
        @DefaultValue Map<String, String> openapi) {

    /**
     * @param sha256 the key's SHA-256 as 64 hex digits ({@code printf %s "$key" | sha256sum})
     * @param roles what the client may do
     */
    public record ApiKey(
            @NotNull @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hex digits (a SHA-256)") String sha256,
            @NotEmpty Set<Role> roles) {}

    /**
     * @param rolesClaim the claim listing the token's roles ({@code predict}, {@code admin}): an array or a
     *     space-separated string; a claim name, or a dotted path into nested claims ({@code realm_access.roles})
     * @param clientClaim the claim naming the client, for rate limits and access logs
     */
    public record Jwt(@NotNull String rolesClaim, @NotNull String clientClaim) {}

    /**
     * @param enabled whether requests are rate limited
     * @param timeout how long the gateway waits for Redis before it lets the request through (fail-open)
     * @param unsynchronizedShare the share of a bucket's burst capacity a gateway replica may take before it
     *     synchronises the bucket with Redis (at least one token): what the limit may be exceeded by per replica
     * @param syncInterval the longest a replica takes from its copy of a bucket before it synchronises it again
     * @param defaults the bucket of a client on a route that {@code routes} and {@code clients} do not name
     * @param routes buckets by route id
     * @param clients buckets by client id, over those of the route
     */
    public record RateLimits(
            boolean enabled,
            @NotNull Duration timeout,
            @DecimalMin("0.0") @DecimalMax("1.0") double unsynchronizedShare,
            @NotNull Duration syncInterval,
            @Valid @NotNull Bucket defaults,
            @DefaultValue Map<String, @Valid Bucket> routes,
            @DefaultValue Map<String, @Valid Bucket> clients) {

        public Bucket bucket(String route, String client) {
            Bucket bucket = clients.get(client);
            if (bucket == null) {
                bucket = routes.getOrDefault(route, defaults);
            }
            return bucket;
        }
    }

    /**
     * A token bucket: {@code replenishRate} tokens a second, at most {@code burstCapacity} saved up; a request
     * takes one.
     */
    public record Bucket(@Min(1) int replenishRate, @Min(1) int burstCapacity) {}

    /**
     * @param allowedOrigins origins allowed to call from a browser (none: cross-origin calls are refused)
     * @param maxAge how long browsers may cache a preflight answer
     */
    public record Cors(@DefaultValue List<String> allowedOrigins, @NotNull Duration maxAge) {}
}
