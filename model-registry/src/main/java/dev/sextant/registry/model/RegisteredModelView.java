package dev.sextant.registry.model;

import java.time.Instant;
import java.util.Map;

/** A registered model as the API returns it: its latest version number and where its aliases point. */
public record RegisteredModelView(
        String name, int latestVersion, Map<String, Integer> aliases, Instant createdAt, Instant updatedAt) {}
