/**
 * Online model metrics: {@code labels.v1} joined with the predictions by id, ROC-AUC, log loss, precision and recall
 * per window, label delay, and their API.
 */
package dev.sextant.monitoring.performance;
