/**
 * What starts jobs besides the API: retrain requests from {@code retrain-requests.v1} (debounced, cooled down) and
 * cron schedules.
 */
package dev.sextant.training.trigger;
