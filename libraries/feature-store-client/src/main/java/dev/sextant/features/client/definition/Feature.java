package dev.sextant.features.client.definition;

/** One typed feature of a view; features of a stream view carry the {@link Aggregation} that computes them. */
public record Feature(String name, ValueType type, Aggregation aggregation) {

    public Feature(String name, ValueType type) {
        this(name, type, null);
    }
}
