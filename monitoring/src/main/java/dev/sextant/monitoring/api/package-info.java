/**
 * What cuts across monitoring's HTTP API: the checks of model names and versions in its paths.
 */
package dev.sextant.monitoring.api;
