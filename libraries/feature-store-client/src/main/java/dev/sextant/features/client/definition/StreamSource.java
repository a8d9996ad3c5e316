package dev.sextant.features.client.definition;

/**
 * The Kafka topic a stream view is computed from. Events are JSON objects carrying the view's join keys under
 * the same names, the event time (ISO-8601 text or epoch milliseconds) under {@code timestampField}, and the
 * fields its aggregations read. {@code topicKeyedBy} names the join key the topic's records are keyed (and so
 * partitioned) by, when there is one: a view keyed by it reads the topic directly, any other view is
 * repartitioned by its own join key first, so every entity's events meet in one place.
 */
public record StreamSource(String topic, String timestampField, String topicKeyedBy) {}
