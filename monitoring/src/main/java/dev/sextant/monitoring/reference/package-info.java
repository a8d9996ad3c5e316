/**
 * The reference distributions registered with each model version, fetched from the registry and kept.
 */
package dev.sextant.monitoring.reference;
