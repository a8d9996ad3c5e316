package dev.sextant.monitoring.alerting;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Alerts", description = "Drift severity changes, as published to drift-alerts.v1")
class AlertsController {

    private final DriftAlerts alerts;

    AlertsController(DriftAlerts alerts) {
        this.alerts = alerts;
    }

    record AlertPage(List<Map<String, Object>> alerts) {}

    @GetMapping("/api/v1/monitoring/alerts")
    @Operation(summary = "Recent drift alerts (raised and cleared), newest first, optionally of one model")
    AlertPage alerts(@RequestParam(required = false) String model) {
        return new AlertPage(alerts.history(model));
    }
}
