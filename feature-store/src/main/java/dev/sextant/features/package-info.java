/**
 * The feature store service: the application, its configuration ({@code sextant.features.*}) and the event-time
 * parsing its API and stream share.
 */
package dev.sextant.features;
