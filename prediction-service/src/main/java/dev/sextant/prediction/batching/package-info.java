/**
 * Dynamic batching: concurrent requests for one model run as one batch, bounded, and refused when full.
 */
package dev.sextant.prediction.batching;
