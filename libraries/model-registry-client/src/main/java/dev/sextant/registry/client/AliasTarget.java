package dev.sextant.registry.client;

import java.time.Instant;

/**
 * Where an alias points, with the version it points to.
 *
 * @param name the model
 * @param previousVersion where it pointed before its last move, if it moved
 */
public record AliasTarget(
        String name,
        String alias,
        int version,
        Integer previousVersion,
        Instant updatedAt,
        String updatedBy,
        ModelVersion modelVersion) {}
