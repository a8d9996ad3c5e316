package dev.sextant.features.client.definition;

import java.time.Duration;
import java.util.List;

/**
 * Features of one or more entities that are written together and share an event timestamp and a TTL: a value
 * older than {@code ttl} is not served ({@code OUTSIDE_MAX_AGE}). {@code Duration.ZERO} means no TTL. A view
 * whose source is {@code STREAM} names its topic in {@code stream} (null otherwise), and every one of its
 * features is an {@link Aggregation} of the topic's events.
 *
 * <p>Immutable; one instance per view of a repository, compared by identity. Its join keys are computed once:
 * every online read and write asks for them.
 */
public final class FeatureView {

    /** Where the view's values come from. */
    public enum Source {
        BATCH,
        STREAM,
        PUSH
    }

    private final String name;
    private final String description;
    private final List<Entity> entities;
    private final List<Feature> features;
    private final Duration ttl;
    private final Source source;
    private final StreamSource stream;
    private final List<JoinKey> joinKeys;

    public FeatureView(
            String name,
            String description,
            List<Entity> entities,
            List<Feature> features,
            Duration ttl,
            Source source,
            StreamSource stream) {
        this.name = name;
        this.description = description;
        this.entities = List.copyOf(entities);
        this.features = List.copyOf(features);
        this.ttl = ttl;
        this.source = source;
        this.stream = stream;
        this.joinKeys = this.entities.stream()
                .flatMap(entity -> entity.joinKeys().stream())
                .toList();
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

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public List<Entity> entities() {
        return entities;
    }

    public List<Feature> features() {
        return features;
    }

    public Duration ttl() {
        return ttl;
    }

    public Source source() {
        return source;
    }

    public StreamSource stream() {
        return stream;
    }

    /** The join keys of all the view's entities, in definition order: the parts of its online key. */
    public List<JoinKey> joinKeys() {
        return joinKeys;
    }

    public boolean hasTtl() {
        return !ttl.isZero();
    }

    @Override
    public String toString() {
        return "FeatureView[" + name + "]";
    }
}
