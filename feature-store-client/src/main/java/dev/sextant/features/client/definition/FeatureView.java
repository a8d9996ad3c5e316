package dev.sextant.features.client.definition;

import java.time.Duration;
import java.util.List;

/**
 * Features of one or more entities that are written together and share an event timestamp and a TTL: a value
 * older than {@code ttl} is not served ({@code OUTSIDE_MAX_AGE}). {@code Duration.ZERO} means no TTL. A view
 * whose source is {@code STREAM} names its topic in {@code stream} (null otherwise), and every one of its
 * features is an {@link Aggregation} of the topic's events.
 */
public record FeatureView(
        String name,
        String description,
        List<Entity> entities,
        List<Feature> features,
        Duration ttl,
        Source source,
        StreamSource stream) {

    /** Where the view's values come from. */
    public enum Source {
        BATCH,
        STREAM,
        PUSH
    }

    public FeatureView {
        entities = List.copyOf(entities);
        features = List.copyOf(features);
    }

    /** The join keys of all the view's entities, in definition order: the parts of its online key. */
    public List<JoinKey> joinKeys() {
        return entities.stream().flatMap(entity -> entity.joinKeys().stream()).toList();
    }

    /** Convenience for views that are not computed from a stream. */
    public FeatureView(
            String name,
            String description,
            List<Entity> entities,
            List<Feature> features,
            Duration ttl,
            Source source) {
        this(name, description, entities, features, ttl, source, null);
    }

    public boolean hasTtl() {
        return !ttl.isZero();
    }
}
