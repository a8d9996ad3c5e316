/**
 * {@code prediction-logs.v1}: a log per prediction offered to a bounded buffer and published by a sender thread,
 * never at the cost of a prediction.
 */
package dev.sextant.prediction.logging;
