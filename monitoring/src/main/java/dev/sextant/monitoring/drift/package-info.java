/**
 * Drift of each window against the registered reference (PSI, KS, Jensen–Shannon, chi-squared), its severity and
 * reports, the thresholds and their API.
 */
package dev.sextant.monitoring.drift;
