package dev.sextant.registry.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * One input column of a model version, as its metadata binds it.
 *
 * @param ref {@code view:feature} (an online feature) or {@code request:name} (supplied by the caller)
 * @param defaultValue the value used when the feature is missing or stale: a JSON number, string, boolean, or null
 *     (absent: no default)
 */
public record FeatureBinding(String ref, @JsonProperty("default") JsonNode defaultValue) {

    /** The default when it is a number; null otherwise (no default, or one that is not a number). */
    public Double numericDefault() {
        return defaultValue != null && defaultValue.isNumber() ? defaultValue.doubleValue() : null;
    }
}
