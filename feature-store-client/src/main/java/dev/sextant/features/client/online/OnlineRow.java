package dev.sextant.features.client.online;

import java.time.Instant;
import java.util.Map;

/** One row to write online: join key values, the event time, and feature values by name. */
public record OnlineRow(Map<String, Object> keys, Instant eventTime, Map<String, Object> values) {}
