/**
 * Records monitoring cannot use, sent to their topic's dead-letter topic with the reason, so consumption goes on.
 */
package dev.sextant.monitoring.deadletter;
