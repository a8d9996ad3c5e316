package dev.sextant.features.client.ondemand;

import java.util.Map;

/**
 * The code of an on-demand feature view: computes its features for one row from stored feature values and
 * request-time values. One implementation serves both the online read path and historical retrieval, so
 * training and serving cannot diverge. Implementations have a public no-argument constructor, keep no state
 * between calls, and are named by class in the view's definition ({@code transformation:}).
 */
public interface OnDemandTransformation {

    /**
     * @param inputs the view's input features by reference ({@code view:feature}); null when the value is not
     *     {@code PRESENT} (not found, null, or past its TTL), so the code decides what a missing value means
     * @param request the view's request values by name, typed as declared (Long, Double, Boolean, String); never
     *     null for a declared request field
     * @return the view's features by name, typed as declared (Long, Double, Boolean, String); a feature absent or
     *     null is {@code NULL_VALUE}
     */
    Map<String, Object> transform(Map<String, Object> inputs, Map<String, Object> request);
}
