package dev.sextant.registry.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An upload written to a local staging file, with its digest and size; closing it removes the file. */
public final class StagedArtifact implements AutoCloseable {

    private final Path file;
    private final String sha256;
    private final long sizeBytes;

    StagedArtifact(Path file, String sha256, long sizeBytes) {
        this.file = file;
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
    }

    public Path file() {
        return file;
    }

    public String sha256() {
        return sha256;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove staging file " + file, e);
        }
    }
}
