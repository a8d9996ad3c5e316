package dev.sextant.features.client.definition;

/** One YAML file of a feature repository: its name (for error messages) and its text. */
public record DefinitionFile(String name, String content) {}
