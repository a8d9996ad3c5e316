/**
 * A rollout's shadow: the shadow version scores a share of requests after the answer, off the request's thread, and
 * logs it.
 */
package dev.sextant.prediction.shadow;
