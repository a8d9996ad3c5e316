/**
 * The models served: aliased versions loaded from the registry, checked, warmed up and hot-swapped on {@code
 * model-events.v1}, reference-counted, and a rollout's routing.
 */
package dev.sextant.prediction.catalog;
