/**
 * A rollout's evidence from its logs and labels (latency, errors, quality, shadow agreement, sample ratio), the
 * guards and tests that decide its steps, and the controller that acts on the registry.
 */
package dev.sextant.monitoring.rollout;
