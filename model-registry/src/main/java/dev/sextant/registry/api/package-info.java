/**
 * What cuts across the registry's HTTP API: the actor header, errors as problem details (malformed JSON, constraint
 * violations, the container's own errors), never a stack trace.
 */
package dev.sextant.registry.api;
