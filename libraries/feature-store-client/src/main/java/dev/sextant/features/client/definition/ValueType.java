package dev.sextant.features.client.definition;

/** The types a feature value or a join key can have. */
public enum ValueType {
    INT64,
    FLOAT64,
    BOOL,
    STRING
}
