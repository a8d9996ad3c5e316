package dev.sextant.registry.model;

import dev.sextant.registry.api.ApiException;
import dev.sextant.web.problems.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Registered models, immutable versions and their ONNX artifacts")
class ModelController {

    private final ModelService models;
    private final MetadataParser metadataParser;
    private final long maxMetadataBytes;

    ModelController(ModelService models, MetadataParser metadataParser, UploadLimits limits) {
        this.models = models;
        this.metadataParser = metadataParser;
        this.maxMetadataBytes = limits.maxMetadataBytes();
    }

    record ModelPage(List<RegisteredModelView> models, int limit, int offset) {}

    record VersionPage(String name, List<ModelVersionView> versions, int limit, int offset) {}

    @GetMapping
    @Operation(summary = "List and search registered models by name, tag and alias")
    ModelPage search(
            @Parameter(description = "substring of the model name") @RequestParam(required = false) String name,
            @Parameter(description = "'key' or 'key=value' of a tag on any version") @RequestParam(required = false)
                    String tag,
            @Parameter(description = "only models that have this alias") @RequestParam(required = false) String alias,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(defaultValue = "0") int offset) {
        checkPage(limit, offset);
        return new ModelPage(models.search(name, tag, alias, limit, offset), limit, offset);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Get a registered model: its latest version and its aliases")
    RegisteredModelView model(@PathVariable String name) {
        return models.model(Names.model(name));
    }

    @PostMapping(path = "/{name}/versions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(
            summary = "Register a new version from an ONNX file (creates the model if needed)",
            description = "Multipart: part 'file' holds the ONNX bytes, optional part 'metadata' a JSON object with"
                    + " description, tags, metrics, lineage, features and reference_distributions, optional part"
                    + " 'native' the model in its training library's format (e.g. XGBoost's JSON model), whose"
                    + " format metadata.lineage.native_model.format names; the registry records its sha256 and"
                    + " size in the version's lineage.")
    ResponseEntity<ModelVersionView> register(
            @PathVariable String name,
            @RequestPart("file") MultipartFile file,
            @RequestPart(name = "metadata", required = false) Part metadata,
            @RequestPart(name = "native", required = false) MultipartFile nativeModel,
            @RequestHeader(name = Actor.HEADER, required = false) String actor) {
        String model = Names.model(name);
        String who = Actor.of(actor);
        VersionMetadata parsed = metadataParser.parse(read(metadata));
        try (InputStream content = file.getInputStream();
                InputStream nativeContent = nativeModel == null ? null : nativeModel.getInputStream()) {
            ModelVersionView version = models.register(model, content, nativeContent, parsed, who);
            return ResponseEntity.created(URI.create("/api/v1/models/" + model + "/versions/" + version.version()))
                    .body(version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded file", e);
        }
    }

    @GetMapping("/{name}/versions")
    @Operation(summary = "List the versions of a model, newest first, optionally by tag")
    VersionPage versions(
            @PathVariable String name,
            @RequestParam(required = false) String tag,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(defaultValue = "0") int offset) {
        checkPage(limit, offset);
        String model = Names.model(name);
        return new VersionPage(model, models.versions(model, tag, limit, offset), limit, offset);
    }

    @GetMapping("/{name}/versions/{version}")
    @Operation(summary = "Get one version: signature, metadata, lineage, feature binding, reference distributions")
    ModelVersionView version(@PathVariable String name, @PathVariable String version) {
        return models.version(Names.model(name), Names.version(version));
    }

    @GetMapping(path = "/{name}/versions/{version}/artifact", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "Download the ONNX artifact of a version (ETag: its sha256)")
    ResponseEntity<org.springframework.core.io.Resource> artifact(
            @PathVariable String name, @PathVariable String version) {
        return ArtifactResponses.of(models, models.version(Names.model(name), Names.version(version)));
    }

    @GetMapping(path = "/{name}/versions/{version}/native", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(
            summary = "Download the native model a version was exported from (ETag: its sha256)",
            description = "The file uploaded in part 'native', e.g. XGBoost's JSON model; 404 when the version was"
                    + " registered without one. Its format, sha256 and size are in the version's lineage.native_model.")
    ResponseEntity<org.springframework.core.io.Resource> nativeModel(
            @PathVariable String name, @PathVariable String version) {
        return ArtifactResponses.nativeModel(models, models.version(Names.model(name), Names.version(version)));
    }

    private byte[] read(Part metadata) {
        if (metadata == null) {
            return null;
        }
        if (metadata.getSize() > maxMetadataBytes) {
            throw ApiException.payloadTooLarge("part 'metadata' exceeds the limit of " + maxMetadataBytes + " bytes");
        }
        try (InputStream in = metadata.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read part 'metadata'", e);
        }
    }

    static void checkPage(int limit, int offset) {
        if (limit < 1 || limit > 500) {
            throw ApiException.badRequest("query parameter limit must be between 1 and 500, got " + limit);
        }
        if (offset < 0) {
            throw ApiException.badRequest("query parameter offset must not be negative, got " + offset);
        }
    }
}
