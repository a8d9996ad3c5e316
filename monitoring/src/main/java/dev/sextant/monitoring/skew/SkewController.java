package dev.sextant.monitoring.skew;

import static dev.sextant.monitoring.api.PathArguments.model;
import static dev.sextant.monitoring.api.PathArguments.version;

import dev.sextant.monitoring.drift.DriftReport;
import dev.sextant.monitoring.drift.DriftReports;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Drift", description = "Live feature and prediction distributions judged against the training reference")
class SkewController {

    private final DriftReports reports;
    private final SkewTracker skew;

    SkewController(DriftReports reports, SkewTracker skew) {
        this.reports = reports;
        this.skew = skew;
    }

    /**
     * @param status {@code MEASURED} (with the report), {@code MEASURING} (with the progress) or {@code NOT_SEEN}
     */
    record Skew(String model, int version, String status, Long predictions, Long target, DriftReport report) {}

    @GetMapping("/api/v1/monitoring/models/{name}/versions/{version}/skew")
    @Operation(
            summary = "A version's training/serving skew: its first served predictions (sextant.monitoring.skew."
                    + "samples) judged once against its training reference, apart from drift over time")
    Skew skew(@PathVariable String name, @PathVariable int version) {
        model(name);
        version(version);
        return reports.skew(name, version)
                .map(report -> new Skew(name, version, "MEASURED", report.predictions(), null, report))
                .or(() -> skew.progress(name, version)
                        .map(progress ->
                                new Skew(name, version, "MEASURING", progress.predictions(), progress.target(), null)))
                .orElseGet(() -> new Skew(name, version, "NOT_SEEN", 0L, null, null));
    }
}
