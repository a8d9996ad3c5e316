package dev.sextant.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the platform's parts are, as {@code --name value} options (each defaults to its local port), and whether the
 * demo's world goes on after the demo ({@code --keep-running}).
 *
 * <p>{@code --registry URL --kafka HOST:PORT --feature-store URL --prediction-service URL --gateway URL --monitoring
 * URL --training-orchestrator URL [--keep-running]}
 */
record DemoOptions(
        String registry,
        String kafka,
        String featureStore,
        String predictionService,
        String gateway,
        String monitoring,
        String trainingOrchestrator,
        boolean keepRunning) {

    private static final Map<String, String> DEFAULTS = Map.of(
            "registry", "http://localhost:8083",
            "kafka", "localhost:9092",
            "feature-store", "http://localhost:8082",
            "prediction-service", "http://localhost:8081",
            "gateway", "http://localhost:8080",
            "monitoring", "http://localhost:8085",
            "training-orchestrator", "http://localhost:8084");

    /** @throws IllegalArgumentException naming an option it does not know, or one without its value */
    static DemoOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        boolean keepRunning = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (name.equals("keep-running")) {
                keepRunning = true;
            } else if (DEFAULTS.containsKey(name) && i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option or one without its value: " + args[i]
                        + "; the options are --" + String.join(" URL, --", DEFAULTS.keySet())
                        + " URL (--kafka HOST:PORT) and --keep-running");
            }
        }
        return new DemoOptions(
                values.get("registry"),
                values.get("kafka"),
                values.get("feature-store"),
                values.get("prediction-service"),
                values.get("gateway"),
                values.get("monitoring"),
                values.get("training-orchestrator"),
                keepRunning);
    }
}
