package dev.sextant.features.offline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to retrieve: {@code view:feature} references, and entity rows — inline (join keys and {@code
 * event_timestamp} as an ISO-8601 instant), or a Parquet file with the join key columns and a TIMESTAMP column
 * {@code event_timestamp}. Exactly one of the two.
 */
public record HistoricalRequest(List<String> features, List<Map<String, Object>> entityRows, Path entityParquet) {}
