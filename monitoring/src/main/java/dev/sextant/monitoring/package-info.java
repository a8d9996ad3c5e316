/**
 * The monitoring service: the application, its configuration ({@code sextant.monitoring.*}) and the HTTP client it
 * reads the registry with.
 */
package dev.sextant.monitoring;
