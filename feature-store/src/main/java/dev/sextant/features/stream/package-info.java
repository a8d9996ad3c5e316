/**
 * Streaming aggregates: the Kafka Streams topology from {@code transactions.v1} (topic parser, per-view plans,
 * minute-bucket windows), its sink to the online and offline stores, dead letters, freshness.
 */
package dev.sextant.features.stream;
