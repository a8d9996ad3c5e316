/**
 * What cuts across the orchestrator's HTTP API: the actor header, errors as problem details, never a stack trace.
 */
package dev.sextant.training.api;
