package dev.sextant.features.client.online;

/** Why a value is (or is not) served, per value: the statuses Feast users know, with TTL enforced. */
public enum FeatureStatus {
    /** A value within the view's TTL. */
    PRESENT,
    /** No row for the entity, or no such field in it. */
    NOT_FOUND,
    /** The row exists and holds null for this feature. */
    NULL_VALUE,
    /** The row is older than the view's TTL: not served (the event timestamp says how old). */
    OUTSIDE_MAX_AGE
}
