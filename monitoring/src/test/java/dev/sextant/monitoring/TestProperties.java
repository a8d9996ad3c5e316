package dev.sextant.monitoring;

import dev.sextant.monitoring.MonitoringProperties.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** Monitoring's configuration for unit tests: the documented defaults, with the windows and labels a test needs. */
public final class TestProperties {

    private TestProperties() {}

    /** Windows by count and minimum samples as given; performance windows of {@code labelWindow} labels. */
    public static MonitoringProperties with(long windowCount, long minSamples, int labelWindow) {
        return with(windowCount, minSamples, labelWindow, 100);
    }

    /** The same, with at most {@code maxOpen} open windows. */
    public static MonitoringProperties with(long windowCount, long minSamples, int labelWindow, int maxOpen) {
        return with(windowCount, minSamples, labelWindow, maxOpen, Map.of());
    }

    /** The defaults, with the dashboard probing these services (name → base URL). */
    public static MonitoringProperties probing(Map<String, URI> services) {
        return with(500, 200, 100, 100, services);
    }

    private static MonitoringProperties with(
            long windowCount, long minSamples, int labelWindow, int maxOpen, Map<String, URI> services) {
        return new MonitoringProperties(
                URI.create("http://localhost:1"),
                "prediction-logs.v1",
                1,
                "dead",
                "alerts",
                new MonitoringProperties.Retrain("retrain", 3, Duration.ofHours(6)),
                new MonitoringProperties.Performance(
                        "labels.v1", "labels.v1.dead-letter", labelWindow, 0.5, 100, 10, 0.6),
                new MonitoringProperties.Window(
                        Duration.ofHours(1), windowCount, Duration.ofMinutes(1), 1000, minSamples, 10, maxOpen),
                new MonitoringProperties.Skew(1000),
                new MonitoringProperties.Dashboard(Duration.ofSeconds(5), services),
                new MonitoringProperties.Thresholds(
                        new Level(0.1, 0.25), new Level(0.1, 0.2), new Level(0.1, 0.2), new Level(0.001, 0.0001)),
                new MonitoringProperties.Quality(
                        new Level(0.1, 0.3), new Level(0.01, 0.05), new Level(0.05, 0.2), new Level(0.01, 0.05)),
                Map.of(),
                "settings",
                100,
                new MonitoringProperties.Rollouts(true, Duration.ofSeconds(1), 100, 100, 0.001, 0.95, 1000));
    }
}
