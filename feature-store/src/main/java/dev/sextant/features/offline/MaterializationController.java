package dev.sextant.features.offline;

import dev.sextant.features.client.online.InvalidFeatureRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Materialization", description = "Copies the latest offline values to the online store")
class MaterializationController {

    private final Materializer materializer;

    MaterializationController(Materializer materializer) {
        this.materializer = materializer;
    }

    /** All optional: views (default all), start (default: where the last run ended), end (default: now). */
    record MaterializeRequest(List<String> featureViews, String start, String end) {}

    record MaterializeResponse(List<Materializer.ViewRun> views) {}

    @PostMapping(path = "/api/v1/features/materialize", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Copy the latest value per entity with an event time in [start, end) from the offline"
                    + " store to the online store; without start, continue from the previous run")
    MaterializeResponse materialize(@RequestBody MaterializeRequest request) {
        return new MaterializeResponse(materializer.materialize(
                request.featureViews(), instant("start", request.start()), instant("end", request.end())));
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidFeatureRequestException(field
                    + " must be an ISO-8601 timestamp with offset, like 2026-11-22T12:00:00Z; got '" + value + "'");
        }
    }
}
