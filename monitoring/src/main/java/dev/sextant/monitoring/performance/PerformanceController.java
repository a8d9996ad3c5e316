package dev.sextant.monitoring.performance;

import dev.sextant.monitoring.api.PathArguments;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Performance", description = "Online model metrics from delayed labels joined with predictions")
class PerformanceController {

    private final OnlinePerformance performance;

    PerformanceController(OnlinePerformance performance) {
        this.performance = performance;
    }

    record PerformanceHistory(String model, int version, List<PerformanceReport> windows) {}

    @GetMapping("/api/v1/monitoring/models/{name}/versions/{version}/performance")
    @Operation(
            summary = "A version's windows of labelled predictions, newest first: ROC-AUC, log loss, precision and"
                    + " recall at the threshold, positive rate, label delay")
    PerformanceHistory performance(@PathVariable String name, @PathVariable int version) {
        return new PerformanceHistory(
                PathArguments.model(name), PathArguments.version(version), performance.history(name, version));
    }
}
