package dev.sextant.training.trainer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One setting a trainer takes: its default and the range a job may set it to. The bounds keep a job's cost and
 * memory within what one orchestrator can run (no job of a billion epochs or a million factors).
 *
 * @param defaultValue used when neither the job nor its model's recipe sets it
 * @param min the smallest value accepted
 * @param max the largest value accepted
 * @param integer whether it counts something (epochs, factors), so only whole numbers are accepted
 */
public record Hyperparameter(double defaultValue, double min, double max, boolean integer) {

    public static Hyperparameter count(double defaultValue, double min, double max) {
        return new Hyperparameter(defaultValue, min, max, true);
    }

    public static Hyperparameter real(double defaultValue, double min, double max) {
        return new Hyperparameter(defaultValue, min, max, false);
    }

    /** Whether a job may set it to {@code value}. */
    public boolean accepts(Double value) {
        return value != null
                && Double.isFinite(value)
                && value >= min
                && value <= max
                && (!integer || value == Math.rint(value));
    }

    /** What {@link #accepts} wants, for an error: "an integer from 1 to 1000". */
    public String range() {
        return (integer ? "an integer" : "a number") + " from " + format(min) + " to " + format(max);
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    /** The defaults of these settings, by name, in their order. */
    public static Map<String, Double> defaults(Map<String, Hyperparameter> settings) {
        Map<String, Double> defaults = new LinkedHashMap<>();
        settings.forEach((name, setting) -> defaults.put(name, setting.defaultValue()));
        return defaults;
    }
}
