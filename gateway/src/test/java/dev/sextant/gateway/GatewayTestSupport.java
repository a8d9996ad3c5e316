package dev.sextant.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Credentials for the gateway's tests: API keys with their hashes, and an RSA key that signs bearer tokens. */
final class GatewayTestSupport {

    static final String ISSUER = "https://issuer.sextant.test";
    /** The audience the tests' gateway expects ({@code spring.security.oauth2.resourceserver.jwt.audiences}). */
    static final String AUDIENCE = "sextant";

    static final String PREDICT_KEY = "predict-key-0123456789abcdef";
    static final String ADMIN_KEY = "admin-key-0123456789abcdef";
    static final String LIMITED_KEY = "limited-key-0123456789abcdef";

    private static final KeyPair SIGNING = rsa();
    private static final KeyPair STRANGER = rsa();
    private static HttpServer jwks;

    private GatewayTestSupport() {}

    /** Configures the clients {@code app} ({@link #PREDICT_KEY}, role predict) and {@code ops} ({@link #ADMIN_KEY}). */
    static void apiKeys(DynamicPropertyRegistry registry) {
        registry.add("sextant.gateway.api-keys.app.sha256", () -> sha256(PREDICT_KEY));
        registry.add("sextant.gateway.api-keys.app.roles", () -> "predict");
        registry.add("sextant.gateway.api-keys.ops.sha256", () -> sha256(ADMIN_KEY));
        registry.add("sextant.gateway.api-keys.ops.roles", () -> "admin");
    }

    static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serves the JSON Web Key Set that verifies {@link #token}s, as an identity provider does, and answers its URL
     * (for {@code jwk-set-uri}).
     */
    static synchronized String jwkSetUri() {
        if (jwks == null) {
            try {
                jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] body = new JWKSet(new RSAKey.Builder((RSAPublicKey) SIGNING.getPublic())
                            .keyID("sextant-test")
                            .build())
                    .toString()
                    .getBytes(StandardCharsets.UTF_8);
            jwks.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            jwks.start();
        }
        return "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks";
    }

    /** A token for {@code client} with these roles, valid for five minutes. */
    static String token(String client, List<String> roles) {
        return sign(SIGNING, ISSUER, AUDIENCE, client, roles, Instant.now().plus(Duration.ofMinutes(5)));
    }

    static String expiredToken(String client, List<String> roles) {
        return sign(SIGNING, ISSUER, AUDIENCE, client, roles, Instant.now().minus(Duration.ofMinutes(5)));
    }

    static String tokenSignedByAStranger(String client, List<String> roles) {
        return sign(STRANGER, ISSUER, AUDIENCE, client, roles, Instant.now().plus(Duration.ofMinutes(5)));
    }

    static String tokenFromAnotherIssuer(String client, List<String> roles) {
        return sign(
                SIGNING,
                "https://elsewhere.test",
                AUDIENCE,
                client,
                roles,
                Instant.now().plus(Duration.ofMinutes(5)));
    }

    /** A token, valid in every other way, for another audience (another system's API). */
    static String tokenForAnotherAudience(String client, List<String> roles) {
        return sign(SIGNING, ISSUER, "billing", client, roles, Instant.now().plus(Duration.ofMinutes(5)));
    }

    private static String sign(
            KeyPair key, String issuer, String audience, String client, List<String> roles, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject("user-" + client)
                .claim("client_id", client)
                .claim("roles", roles)
                .issueTime(Date.from(expires.minus(Duration.ofMinutes(10))))
                .expirationTime(Date.from(expires))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("sextant-test").build(), claims);
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) key.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
