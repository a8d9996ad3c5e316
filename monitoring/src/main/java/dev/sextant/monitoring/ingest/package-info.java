/**
 * The {@code prediction-logs.v1} consumer: records parsed into columns in one streaming pass, malformed ones
 * dead-lettered.
 */
package dev.sextant.monitoring.ingest;
