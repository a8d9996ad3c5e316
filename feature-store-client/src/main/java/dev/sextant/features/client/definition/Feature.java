package dev.sextant.features.client.definition;

/** One typed feature of a view. */
public record Feature(String name, ValueType type) {}
