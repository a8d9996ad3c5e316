package dev.sextant.features.client.definition;

/** A column that identifies an entity, e.g. {@code card_id}. */
public record JoinKey(String name, ValueType type) {}
