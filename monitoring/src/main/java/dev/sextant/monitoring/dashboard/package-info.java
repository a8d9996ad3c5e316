/**
 * The web dashboard of the whole diagram: probes of every service's health and metrics, and the page that shows
 * them.
 */
package dev.sextant.monitoring.dashboard;
