/**
 * The registry as the orchestrator uses it: registration of versions and the reference distributions registered with
 * them.
 */
package dev.sextant.training.registry;
