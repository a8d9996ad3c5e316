/**
 * {@code model-events.v1}: events written to an outbox in the change's transaction, relayed to Kafka, and the
 * relay's health.
 */
package dev.sextant.registry.events;
