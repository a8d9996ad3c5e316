/**
 * Drift alerts on {@code drift-alerts.v1} when a column's severity changes (with hysteresis), retrain requests on
 * {@code retrain-requests.v1} after lasting drift or poor online metrics, and the alerts API.
 */
package dev.sextant.monitoring.alerting;
