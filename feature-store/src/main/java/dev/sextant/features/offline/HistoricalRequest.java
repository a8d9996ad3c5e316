package dev.sextant.features.offline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to retrieve: {@code view:feature} references, and entity rows — inline (join keys and {@code
 * event_timestamp} as an ISO-8601 instant), or a Parquet file with the join key columns and a TIMESTAMP column
 * {@code event_timestamp}. Exactly one of the two.
 *
 * @param entitiesName what the client calls the Parquet file, in errors: {@code entity_parquet} for a file it named,
 *     {@code part 'entities'} for one it uploaded
 */
public record HistoricalRequest(
        List<String> features, List<Map<String, Object>> entityRows, Path entityParquet, String entitiesName) {

    public HistoricalRequest(List<String> features, List<Map<String, Object>> entityRows, Path entityParquet) {
        this(features, entityRows, entityParquet, "entity_parquet");
    }

    /** Entity rows uploaded as a Parquet file, staged at {@code upload}. */
    public static HistoricalRequest uploaded(List<String> features, Path upload) {
        return new HistoricalRequest(features, null, upload, "part 'entities'");
    }
}
