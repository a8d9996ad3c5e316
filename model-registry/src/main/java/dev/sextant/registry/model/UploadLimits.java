package dev.sextant.registry.model;

/**
 * The largest uploads the registry accepts ({@code sextant.registry.max-artifact-size} and {@code
 * max-metadata-size}), in bytes.
 */
public record UploadLimits(long maxArtifactBytes, long maxMetadataBytes) {}
