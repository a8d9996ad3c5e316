package dev.sextant.prediction.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * One input column of a model version, as its registry metadata binds it: {@code ref} is {@code view:feature}
 * (an online feature) or {@code request:name} (supplied by the caller), {@code defaultValue} the value used when
 * the feature is missing or stale (a JSON number, string, boolean or null).
 */
public record FeatureBinding(String ref, @JsonProperty("default") JsonNode defaultValue) {}
