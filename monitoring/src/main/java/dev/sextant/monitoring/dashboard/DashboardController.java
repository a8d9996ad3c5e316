package dev.sextant.monitoring.dashboard;

import dev.sextant.monitoring.drift.DriftReport;
import dev.sextant.monitoring.drift.DriftReports;
import dev.sextant.monitoring.performance.OnlinePerformance;
import dev.sextant.monitoring.performance.PerformanceReport;
import dev.sextant.monitoring.rollout.RolloutEvidence;
import dev.sextant.monitoring.rollout.RolloutStats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The web dashboard ({@code /dashboard/}, static files under {@code resources/static/dashboard}) and the one
 * document it reads: every box of the diagram with its health, rates and latency, and every model version with its
 * traffic, drift, data quality, skew and online ROC-AUC, and each model's latest rollout with its evidence.
 */
@Controller
@Tag(name = "Dashboard", description = "The platform at a glance, as the web dashboard shows it")
class DashboardController {

    private final ServiceProbes probes;
    private final DriftReports reports;
    private final OnlinePerformance performance;
    private final RolloutEvidence rollouts;
    private final Clock clock;

    DashboardController(
            ServiceProbes probes,
            DriftReports reports,
            OnlinePerformance performance,
            RolloutEvidence rollouts,
            Clock clock) {
        this.probes = probes;
        this.reports = reports;
        this.performance = performance;
        this.rollouts = rollouts;
        this.clock = clock;
    }

    record Kafka(String status, double predictionLogsPerSecond) {}

    /**
     * @param requestsPerSecond at the prediction service, over the last probe interval (null when not seen there)
     * @param driftStatus of the latest judged window
     * @param skewStatus of the version's first served predictions ({@code MEASURING} until they are in)
     */
    record ModelVersion(
            String model,
            int version,
            Double requestsPerSecond,
            DriftReport.Severity driftStatus,
            DriftReport.Severity qualityStatus,
            Instant lastWindowEnd,
            String skewStatus,
            Double rocAuc) {}

    /** @param rollouts each model's latest rollout seen in its prediction logs, with its evidence */
    record Overview(
            Instant time,
            List<ServiceProbes.ServiceState> services,
            Kafka kafka,
            List<ModelVersion> models,
            List<RolloutStats.View> rollouts) {}

    @GetMapping("/dashboard")
    String dashboard() {
        return "redirect:/dashboard/index.html";
    }

    @GetMapping("/api/v1/monitoring/overview")
    @ResponseBody
    @Operation(
            summary = "The platform at a glance: each service's health, request rate and latency percentiles (with"
                    + " their recent history), Kafka, each model version's traffic, drift, quality, skew and"
                    + " online ROC-AUC, and each model's latest rollout with its evidence")
    Overview overview() {
        Map<String, Double> traffic = probes.traffic();
        Map<String, TreeSet<Integer>> versions = new java.util.TreeMap<>();
        reports.models().forEach((model, seen) -> versions.computeIfAbsent(model, m -> new TreeSet<>())
                .addAll(seen));
        traffic.keySet().forEach(key -> {
            int slash = key.lastIndexOf('/');
            try {
                versions.computeIfAbsent(key.substring(0, slash), m -> new TreeSet<>())
                        .add(Integer.parseInt(key.substring(slash + 1)));
            } catch (NumberFormatException e) {
                // a version label that is not a number: not a registered version
            }
        });
        List<ModelVersion> models = new ArrayList<>();
        versions.forEach((model, numbers) -> numbers.descendingSet().forEach(version -> {
            List<DriftReport> history = reports.history(model, version);
            DriftReport latest = history.isEmpty() ? null : history.get(0);
            List<PerformanceReport> labelled = performance.history(model, version);
            models.add(new ModelVersion(
                    model,
                    version,
                    traffic.get(model + "/" + version),
                    latest == null ? null : latest.status(),
                    latest == null ? null : latest.qualityStatus(),
                    latest == null ? null : latest.windowEnd(),
                    reports.skew(model, version)
                            .map(report -> report.status().name())
                            .orElse("MEASURING"),
                    labelled.isEmpty() ? null : labelled.get(0).metrics().get("roc_auc")));
        }));
        List<RolloutStats.View> latest = new ArrayList<>();
        new TreeSet<>(rollouts.models())
                .forEach(model -> rollouts.of(model).stream().findFirst().ifPresent(latest::add));
        return new Overview(
                clock.instant(), probes.services(), new Kafka(probes.kafka(), probes.logsPerSecond()), models, latest);
    }
}
