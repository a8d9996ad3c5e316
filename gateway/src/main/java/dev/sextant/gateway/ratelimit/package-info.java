/**
 * Per-client rate limits: token buckets in Redis, taken locally between synchronisations, failing open when Redis is
 * down.
 */
package dev.sextant.gateway.ratelimit;
