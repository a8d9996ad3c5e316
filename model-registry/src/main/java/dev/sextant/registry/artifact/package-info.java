/**
 * Where artifacts live: the {@code ArtifactStore} seam and its file-system store, content-addressed by SHA-256,
 * staged then committed.
 */
package dev.sextant.registry.artifact;
