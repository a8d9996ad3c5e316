/**
 * What cuts across the orchestrator's HTTP API: errors as problem details, never a stack trace.
 */
package dev.sextant.training.api;
