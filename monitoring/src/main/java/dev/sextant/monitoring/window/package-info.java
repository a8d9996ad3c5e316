/**
 * Windows of sketches per model version (count and time windows), aggregated exactly once across restarts.
 */
package dev.sextant.monitoring.window;
