package dev.sextant.features.online;

import dev.sextant.features.client.online.FeatureStatus;
import dev.sextant.features.client.online.OnlineFeatureReader;
import dev.sextant.features.client.online.OnlineFeatures;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Online features", description = "Low-latency reads of the latest feature values")
class OnlineController {

    private final OnlineFeatureReader reader;
    private final Timer reads;

    OnlineController(OnlineFeatureReader reader, MeterRegistry meters) {
        this.reader = reader;
        this.reads = Timer.builder("sextant.features.online.read")
                .description("Online reads through the HTTP API, Redis round trip included")
                .publishPercentileHistogram()
                .register(meters);
    }

    /**
     * Request: features as {@code view:feature} (of feature views and on-demand views), join key name to one value
     * per entity row, and, for on-demand views, their request values by name, one per entity row.
     */
    record OnlineRequest(
            List<String> features, Map<String, List<Object>> entities, Map<String, List<Object>> requestContext) {}

    record Metadata(List<String> featureNames) {}

    record Result(List<Object> values, List<FeatureStatus> statuses, List<Instant> eventTimestamps) {}

    /** Feast's shape: the join key columns, then one column per requested feature. */
    record OnlineResponse(Metadata metadata, List<Result> results) {}

    @PostMapping(path = "/api/v1/features/online", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Read the latest values of features for entity rows, column-wise, with per-value statuses"
                    + " (PRESENT, NOT_FOUND, NULL_VALUE, OUTSIDE_MAX_AGE: TTL enforced) and event timestamps;"
                    + " on-demand features computed from them and request_context")
    OnlineResponse read(@RequestBody OnlineRequest request) {
        OnlineFeatures features =
                reads.record(() -> reader.read(request.features(), request.entities(), request.requestContext()));
        return new OnlineResponse(
                new Metadata(features.featureNames()),
                features.columns().stream()
                        .map(column -> new Result(column.values(), column.statuses(), column.eventTimestamps()))
                        .toList());
    }
}
