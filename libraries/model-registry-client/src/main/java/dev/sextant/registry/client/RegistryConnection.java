package dev.sextant.registry.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the model registry is and how a service calls it.
 *
 * @param url the registry's base URL (its API is under {@code /api/v1})
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer (an upload or an artifact takes the longest)
 * @param actor the calling service, sent as {@code X-Sextant-Actor} and recorded by the registry with every change
 *     it makes (inside the platform the gateway sets it for clients; services name themselves)
 */
public record RegistryConnection(URI url, Duration connectTimeout, Duration readTimeout, String actor) {

    public RegistryConnection {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor must name the calling service");
        }
    }
}
