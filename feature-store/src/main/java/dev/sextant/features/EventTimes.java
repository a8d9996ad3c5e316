package dev.sextant.features;

import dev.sextant.features.client.online.InvalidFeatureRequestException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The event times the feature store accepts, from a push, a historical request's entity rows or a stream: years of
 * four digits (whose epoch milliseconds and windows' arithmetic stay far from overflow), and no further ahead of
 * this clock than {@code sextant.features.max-clock-skew}. A row dated years ahead would otherwise pin its entity's
 * online features, every newer real row being skipped as older.
 */
public final class EventTimes {

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** The earliest time accepted, 0001-01-01T00:00:00Z, in epoch milliseconds. */
    public static final long EARLIEST_MS = EARLIEST.toEpochMilli();

    /** The latest time accepted, 9999-12-31T23:59:59.999Z, in epoch milliseconds. */
    public static final long LATEST_MS = LATEST.toEpochMilli();

    private final Clock clock;
    private final Duration skew;

    public EventTimes(Clock clock, Duration skew) {
        this.clock = clock;
        this.skew = skew;
    }

    /** How far past this clock an event time may be. */
    public Duration skew() {
        return skew;
    }

    /** Whether {@code epochMillis} lies in the years 0001-9999. */
    public static boolean inYears(long epochMillis) {
        return epochMillis >= EARLIEST_MS && epochMillis <= LATEST_MS;
    }

    /** Whether {@code epochMillis} is further ahead of this clock than the skew allows. */
    public boolean tooFarAhead(long epochMillis) {
        return epochMillis > latestAccepted();
    }

    /** The latest event time accepted now, in epoch milliseconds. */
    public long latestAccepted() {
        return Math.min(LATEST_MS, clock.millis() + skew.toMillis());
    }

    /**
     * An ISO-8601 timestamp with an offset, in the years 0001-9999 and at most {@link #skew()} ahead of this
     * clock; otherwise a 400 naming {@code field}.
     */
    public Instant parse(Object value, String field) {
        Instant time;
        try {
            time = OffsetDateTime.parse(String.valueOf(value)).toInstant();
        } catch (DateTimeException e) {
            throw new InvalidFeatureRequestException(field + " must be an ISO-8601 timestamp with offset, like"
                    + " 2026-11-22T12:00:00Z; got '" + value + "'");
        }
        // compared as instants: a time past the range may have no epoch milliseconds at all
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw new InvalidFeatureRequestException(field + " must be in the years 0001-9999, got '" + value + "'");
        }
        if (tooFarAhead(time.toEpochMilli())) {
            throw new InvalidFeatureRequestException(
                    field + " " + value + " is more than " + skew + " ahead of the feature store's clock");
        }
        return time;
    }
}
