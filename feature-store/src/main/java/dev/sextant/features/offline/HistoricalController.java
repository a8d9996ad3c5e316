package dev.sextant.features.offline;

import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Historical features", description = "Point-in-time correct training sets from the offline store")
class HistoricalController {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final OfflineStore offline;
    private final Path trainingSets;
    private final Path uploads;

    HistoricalController(OfflineStore offline, FeatureStoreProperties.Offline settings) {
        this.offline = offline;
        this.trainingSets = settings.trainingSetsPath().toAbsolutePath().normalize();
        this.uploads = uploads(settings);
    }

    /** Where uploaded entity rows are staged: under the offline store's parent, where retrieval accepts files. */
    static Path uploads(FeatureStoreProperties.Offline offline) {
        return offline.path().toAbsolutePath().normalize().getParent().resolve("uploads");
    }

    /** Entity rows inline ({@code entity_rows}) or as a Parquet file on the server ({@code entity_parquet}). */
    record HistoricalBody(List<String> features, List<Map<String, Object>> entityRows, String entityParquet) {}

    record TrainingSetView(String id, String path, long rows, List<String> columns, String download) {}

    @PostMapping(path = "/api/v1/features/historical", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Build a point-in-time correct training set: each feature as of each entity row's"
                    + " event_timestamp (the latest value written before it, within TTL), written as Parquet")
    TrainingSetView historical(@RequestBody HistoricalBody body) {
        if (body.entityParquet() != null && body.entityParquet().isBlank()) {
            throw new InvalidFeatureRequestException("entity_parquet must be a path");
        }
        TrainingSet set = offline.historical(new HistoricalRequest(
                body.features(),
                body.entityRows(),
                body.entityParquet() == null ? null : Path.of(body.entityParquet())));
        return view(set);
    }

    /**
     * The same retrieval with the entity rows uploaded as a Parquet file, for callers that do not share the
     * feature store's disk (the training orchestrator): part {@code features} lists the references (repeated, or
     * comma-separated), part {@code entities} holds the file. The upload is deleted once the training set is
     * written.
     */
    @PostMapping(path = "/api/v1/features/historical", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(
            summary = "Build a point-in-time correct training set from entity rows uploaded as Parquet (part"
                    + " entities: join keys, event_timestamp, request values; part features: view:feature list)")
    TrainingSetView historicalUpload(
            @RequestParam("features") List<String> features, @RequestPart("entities") MultipartFile entities)
            throws IOException {
        if (entities.isEmpty()) {
            throw new InvalidFeatureRequestException("part 'entities' is empty; it must be a Parquet file");
        }
        Files.createDirectories(uploads);
        Path upload = uploads.resolve(UUID.randomUUID() + ".parquet");
        try {
            entities.transferTo(upload);
            TrainingSet set = offline.historical(HistoricalRequest.uploaded(features, upload));
            return view(set);
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    private static TrainingSetView view(TrainingSet set) {
        return new TrainingSetView(
                set.id(), set.path().toString(), set.rows(), set.columns(), "/api/v1/features/historical/" + set.id());
    }

    @GetMapping(path = "/api/v1/features/historical/{id}", produces = "application/vnd.apache.parquet")
    @Operation(summary = "Download a training set (Parquet)")
    ResponseEntity<Resource> download(@PathVariable String id) {
        if (!ID.matcher(id).matches()) {
            throw new InvalidFeatureRequestException("training set id must be a UUID, got '" + id + "'");
        }
        Path file = trainingSets.resolve(id + ".parquet");
        if (!Files.isRegularFile(file)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no training set " + id);
        }
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/vnd.apache.parquet"))
                .header("Content-Disposition", "attachment; filename=\"" + id + ".parquet\"")
                .body(new FileSystemResource(file));
    }
}
