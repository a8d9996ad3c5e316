package dev.sextant.monitoring.skew;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.drift.DriftEvaluator;
import dev.sextant.monitoring.drift.DriftReport;
import dev.sextant.monitoring.drift.DriftReports;
import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.reference.ReferenceProfiles;
import dev.sextant.monitoring.window.ModelWindow;
import dev.sextant.monitoring.window.PredictionLog;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Training/serving skew, apart from drift: the first {@code skew.samples} predictions a version serves are one
 * sample, judged once against the version's training reference with the drift statistics and thresholds. Right after
 * a version goes live there has been no time for the world to drift, so a difference then is the serving path's
 * (features computed differently online, stale or defaulted values, a wrong binding). Drift is the windows over time
 * after it. The sample is in memory: after a restart, a version not yet measured is measured on its next
 * predictions.
 */
@Component
public class SkewTracker {

    private static final Logger log = LoggerFactory.getLogger(SkewTracker.class);

    private final long samples;
    private final ReferenceProfiles references;
    private final DriftEvaluator evaluator;
    private final DriftReports reports;
    private final Map<String, ModelWindow> measuring = new HashMap<>();
    private final Set<String> measured = new HashSet<>();

    SkewTracker(
            MonitoringProperties.Skew skew,
            ReferenceProfiles references,
            DriftEvaluator evaluator,
            DriftReports reports) {
        this.samples = skew.samples();
        this.references = references;
        this.evaluator = evaluator;
        this.reports = reports;
    }

    /** A progress report of a version's measurement. */
    public record Progress(long predictions, long target) {}

    /** Takes a served prediction (once aggregated: a replay is not taken twice) until its version is measured. */
    public synchronized void served(PredictionLog served) {
        String key = served.model() + "/" + served.version();
        if (measured.contains(key)) {
            return;
        }
        ModelWindow sample =
                measuring.computeIfAbsent(key, k -> new ModelWindow(served.model(), served.version(), served.time()));
        sample.add(served);
        if (sample.predictions() < samples) {
            return;
        }
        // While the registry is unreachable the sample keeps growing, and is judged at a later prediction.
        Optional<ReferenceProfile> reference = references.of(served.model(), served.version());
        if (reference.isEmpty()) {
            return;
        }
        measuring.remove(key);
        measured.add(key);
        DriftReport report = evaluator.evaluate(sample, reference.get());
        reports.addSkew(report);
        if (report.status() == DriftReport.Severity.ALERT || report.status() == DriftReport.Severity.WARN) {
            log.warn(
                    "training/serving skew {} for {} v{} over its first {} predictions",
                    report.status(),
                    report.model(),
                    report.version(),
                    report.predictions());
        }
    }

    /** How far the measurement of a version that is still being measured is. */
    public synchronized Optional<Progress> progress(String model, int version) {
        ModelWindow sample = measuring.get(model + "/" + version);
        return sample == null ? Optional.empty() : Optional.of(new Progress(sample.predictions(), samples));
    }
}
