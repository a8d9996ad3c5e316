package dev.sextant.registry.model;

import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The one way an artifact is served, by version or by alias, and a version's native model: octet stream, sha256 as
 * strong ETag.
 */
public final class ArtifactResponses {

    private ArtifactResponses() {}

    public static ResponseEntity<Resource> of(ModelService models, ModelVersionView version) {
        return response(models.artifact(version), version, version.sha256(), version.sizeBytes(), "onnx");
    }

    /** A version's native model, named after its format: {@code fraud-detector-3.xgboost-json}. */
    public static ResponseEntity<Resource> nativeModel(ModelService models, ModelVersionView version) {
        Resource file = models.nativeModel(version);
        VersionMetadata.NativeModel nativeModel = version.lineage().nativeModel();
        return response(file, version, nativeModel.sha256(), nativeModel.sizeBytes(), nativeModel.format());
    }

    private static ResponseEntity<Resource> response(
            Resource file, ModelVersionView version, String sha256, long size, String extension) {
        return ResponseEntity.ok()
                .eTag(sha256)
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(size)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(version.name() + "-" + version.version() + "." + extension)
                                .build()
                                .toString())
                .header("X-Model-Version", Integer.toString(version.version()))
                .body(file);
    }
}
