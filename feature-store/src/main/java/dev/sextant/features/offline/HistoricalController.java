package dev.sextant.features.offline;

import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Historical features", description = "Point-in-time correct training sets from the offline store")
class HistoricalController {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final OfflineStore offline;
    private final Path trainingSets;

    HistoricalController(OfflineStore offline, FeatureStoreProperties properties) {
        this.offline = offline;
        this.trainingSets =
                properties.offline().trainingSetsPath().toAbsolutePath().normalize();
    }

    /** Entity rows inline ({@code entity_rows}) or as a Parquet file on the server ({@code entity_parquet}). */
    record HistoricalBody(List<String> features, List<Map<String, Object>> entityRows, String entityParquet) {}

    record TrainingSetView(String id, String path, long rows, List<String> columns, String download) {}

    @PostMapping(path = "/api/v1/features/historical", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Build a point-in-time correct training set: each feature as of each entity row's"
                    + " event_timestamp (latest value at or before it, within TTL), written as Parquet")
    TrainingSetView historical(@RequestBody HistoricalBody body) {
        if (body.entityParquet() != null && body.entityParquet().isBlank()) {
            throw new InvalidFeatureRequestException("entity_parquet must be a path");
        }
        TrainingSet set = offline.historical(new HistoricalRequest(
                body.features(),
                body.entityRows(),
                body.entityParquet() == null ? null : Path.of(body.entityParquet())));
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
