/**
 * What every request gets on its way in: a request id, W3C trace context, size limits, adaptive admission (503 with
 * {@code Retry-After} under overload).
 */
package dev.sextant.gateway.requests;
