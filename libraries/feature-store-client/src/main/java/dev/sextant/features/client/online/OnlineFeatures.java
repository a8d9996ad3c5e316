package dev.sextant.features.client.online;

import java.time.Instant;
import java.util.List;

/**
 * An online read, column-wise as Feast answers it: first the join key columns (as requested), then one column
 * per requested feature in request order; each column has a value, a status and an event timestamp per entity
 * row.
 */
public record OnlineFeatures(List<String> featureNames, List<Column> columns) {

    public record Column(List<Object> values, List<FeatureStatus> statuses, List<Instant> eventTimestamps) {}

    public Column column(String featureName) {
        int index = featureNames.indexOf(featureName);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + featureName);
        }
        return columns.get(index);
    }
}
