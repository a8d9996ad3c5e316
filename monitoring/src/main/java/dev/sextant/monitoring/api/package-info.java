/**
 * What cuts across monitoring's HTTP API: its problem details, and the checks of model names and versions in its
 * paths.
 */
package dev.sextant.monitoring.api;
