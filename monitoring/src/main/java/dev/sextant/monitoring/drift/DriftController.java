package dev.sextant.monitoring.drift;

import static dev.sextant.monitoring.api.PathArguments.model;
import static dev.sextant.monitoring.api.PathArguments.version;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@Tag(name = "Drift", description = "Live feature and prediction distributions judged against the training reference")
class DriftController {

    private final DriftReports reports;

    DriftController(DriftReports reports) {
        this.reports = reports;
    }

    record ModelDrift(String model, List<DriftReport> versions) {}

    record DriftHistory(String model, int version, List<DriftReport> windows) {}

    @GetMapping("/api/v1/monitoring/models/{name}/drift")
    @Operation(
            summary = "The latest judged window of each version of a model: per feature and for the score, the"
                    + " statistics against the version's training reference and their severity")
    ModelDrift drift(@PathVariable String name) {
        return new ModelDrift(
                model(name),
                reports.latest(name)
                        .orElseThrow(() -> new ResponseStatusException(
                                HttpStatus.NOT_FOUND, "no prediction logs of model '" + name + "' seen yet")));
    }

    @GetMapping("/api/v1/monitoring/models/{name}/versions/{version}/drift")
    @Operation(
            summary =
                    "A version's judged windows, newest first (the history kept is sextant.monitoring.window.history)")
    DriftHistory history(@PathVariable String name, @PathVariable int version) {
        return new DriftHistory(model(name), version(version), reports.history(name, version));
    }

    /** One window of one feature: its drift and quality, as in the window's report. */
    record FeatureWindow(java.time.Instant windowStart, java.time.Instant windowEnd, DriftReport.ColumnDrift drift) {}

    record FeatureHistory(String model, int version, String feature, List<FeatureWindow> windows) {}

    @GetMapping("/api/v1/monitoring/models/{name}/versions/{version}/features/{feature}/drift")
    @Operation(
            summary = "One feature's (or the score's) drift and data quality in each judged window of a version,"
                    + " newest first")
    FeatureHistory featureHistory(@PathVariable String name, @PathVariable int version, @PathVariable String feature) {
        List<FeatureWindow> windows = reports.history(model(name), version(version)).stream()
                .filter(report -> report.columns().containsKey(feature))
                .map(report -> new FeatureWindow(
                        report.windowStart(),
                        report.windowEnd(),
                        report.columns().get(feature)))
                .toList();
        return new FeatureHistory(name, version, feature, windows);
    }
}
