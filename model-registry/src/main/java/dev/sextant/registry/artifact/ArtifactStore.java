package dev.sextant.registry.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.springframework.core.io.Resource;

/**
 * Where ONNX artifacts live, addressed by the sha256 of their bytes. The seam for an object store: an upload
 * is first staged as a local file (ONNX Runtime validates a file), then committed under its digest.
 */
public interface ArtifactStore {

    /**
     * Streams content to a local staging file while computing its digest, failing with {@link
     * ArtifactTooLargeException} past {@code maxBytes}. The caller closes the staged artifact, which removes
     * the staging file unless it was committed.
     */
    StagedArtifact stage(InputStream content, long maxBytes) throws IOException;

    /** Stores a staged artifact under its digest; a no-op when identical content is already stored. */
    void commit(StagedArtifact artifact) throws IOException;

    /** The stored artifact with this digest, if any. */
    Optional<Resource> find(String sha256);
}
