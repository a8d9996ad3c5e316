package dev.sextant.registry.artifact;

import java.io.IOException;

/** An upload grew past the configured artifact size limit while being staged. */
public final class ArtifactTooLargeException extends IOException {

    ArtifactTooLargeException(long maxBytes) {
        super("the artifact exceeds the limit of " + maxBytes + " bytes");
    }
}
