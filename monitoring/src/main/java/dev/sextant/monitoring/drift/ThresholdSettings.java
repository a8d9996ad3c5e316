package dev.sextant.monitoring.drift;

import dev.sextant.monitoring.MonitoringProperties.Thresholds;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The drift thresholds in force: the defaults and the per-feature overrides, first from the configuration
 * ({@code sextant.monitoring.thresholds}, {@code sextant.monitoring.features}), then as changed through the API. A
 * change is kept in the compacted settings topic ({@link ThresholdChanges}), so every instance, and every restart,
 * applies the same changes in the same order. Keys: {@value #DEFAULTS}, or {@code feature:<reference>}.
 */
public class ThresholdSettings {

    public static final String DEFAULTS = "defaults";
    public static final String FEATURE = "feature:";

    private volatile Thresholds defaults;
    private final Map<String, Thresholds> features = new ConcurrentHashMap<>();

    /**
     * @param defaults the configured defaults
     * @param features the configured per-feature overrides
     */
    ThresholdSettings(Thresholds defaults, Map<String, Thresholds> features) {
        this.defaults = defaults;
        this.features.putAll(features);
    }

    /** The thresholds of a column: its override, each level it leaves out taken from the defaults. */
    public Thresholds of(String column) {
        Thresholds override = features.get(column);
        return override == null ? defaults : override.over(defaults);
    }

    public Thresholds defaults() {
        return defaults;
    }

    /** The overrides as they were set (levels left out are null), by feature reference. */
    public Map<String, Thresholds> overrides() {
        return new TreeMap<>(features);
    }

    /** Applies a change: new defaults (completed by the current ones), a feature's override, or (null) its removal. */
    public synchronized void apply(String key, Thresholds thresholds) {
        if (key.equals(DEFAULTS)) {
            if (thresholds != null) {
                defaults = thresholds.over(defaults);
            }
        } else if (key.startsWith(FEATURE)) {
            String feature = key.substring(FEATURE.length());
            if (thresholds == null) {
                features.remove(feature);
            } else {
                features.put(feature, thresholds);
            }
        }
    }
}
