/**
 * What cuts across the feature store's HTTP API: client mistakes and store outages as problem details (400 naming
 * the field, 503), never a stack trace.
 */
package dev.sextant.features.api;
