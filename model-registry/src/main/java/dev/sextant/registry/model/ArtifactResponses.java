package dev.sextant.registry.model;

import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The one way an artifact is served, by version or by alias: octet stream, sha256 as strong ETag. */
public final class ArtifactResponses {

    private ArtifactResponses() {}

    public static ResponseEntity<Resource> of(ModelService models, ModelVersionView version) {
        Resource artifact = models.artifact(version);
        return ResponseEntity.ok()
                .eTag(version.sha256())
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(version.sizeBytes())
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(version.name() + "-" + version.version() + ".onnx")
                                .build()
                                .toString())
                .header("X-Model-Version", Integer.toString(version.version()))
                .body(artifact);
    }
}
