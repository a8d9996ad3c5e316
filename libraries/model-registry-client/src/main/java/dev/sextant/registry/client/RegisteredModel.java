package dev.sextant.registry.client;

import java.time.Instant;
import java.util.Map;

/**
 * A registered model as the registry describes it.
 *
 * @param latestVersion the highest version number registered
 * @param aliases where each alias points (alias to version)
 */
public record RegisteredModel(
        String name, int latestVersion, Map<String, Integer> aliases, Instant createdAt, Instant updatedAt) {

    public RegisteredModel {
        aliases = aliases == null ? Map.of() : Map.copyOf(aliases);
    }
}
