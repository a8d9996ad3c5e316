/**
 * Rollouts (shadow, canary, blue-green, A/B, bandit): their plans, state transitions, revisions and API; the
 * registry owns them, monitoring decides their steps.
 */
package dev.sextant.registry.rollout;
