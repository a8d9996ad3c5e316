package dev.sextant.features.offline;

import static dev.sextant.features.offline.ParquetOfflineStore.quote;
import static dev.sextant.features.offline.ParquetOfflineStore.sqlType;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The point-in-time join: the entity rows (temp table {@code entity_rows}, with {@code __row} for order, and the
 * request values on-demand views need) ASOF-LEFT-JOINed to each view on its join keys and
 * {@code entity.event_timestamp > view.event_timestamp}, so a row sees the features as they stood just before
 * its own time: the latest value written before it, never one written at the same instant or later. An online
 * read at t answers what was written before t; and an entity row at a payment's own time never sees the
 * payment's row, which the online read that scored it could not have seen either. Times compare to the
 * millisecond, the precision of stored rows: a payment at 12:00:00.000386 wrote its row at 12:00:00.000, which is
 * not before it. Rows of one entity with the
 * same event time are deduplicated by the latest {@code created_timestamp}. A value older than the view's TTL
 * is null, as the online store would not serve it either.
 */
final class PointInTimeQuery {

    private PointInTimeQuery() {}

    static String sql(
            Map<FeatureView, List<Feature>> views,
            Map<String, JoinKey> joinKeys,
            List<String> requestColumns,
            Function<FeatureView, List<Path>> files) {
        List<String> select = new ArrayList<>();
        joinKeys.keySet().forEach(key -> select.add("e." + quote(key)));
        select.add("e.event_timestamp");
        requestColumns.forEach(column -> select.add("e." + quote(column)));
        select.add("e.__row");
        List<String> joins = new ArrayList<>();
        int alias = 0;
        for (var entry : views.entrySet()) {
            FeatureView view = entry.getKey();
            String v = "v" + alias++;
            for (Feature feature : entry.getValue()) {
                String value = v + "." + quote(feature.name());
                String column = quote(view.name() + "__" + feature.name());
                select.add(
                        view.hasTtl()
                                ? "CASE WHEN " + v + ".__ts >= e.event_timestamp - to_milliseconds("
                                        + view.ttl().toMillis() + ") THEN " + value + " END AS " + column
                                : value + " AS " + column);
            }
            String on = view.joinKeys().stream()
                    .map(key -> "e." + quote(key.name()) + " = " + v + "." + quote(key.name()))
                    .collect(Collectors.joining(" AND "));
            joins.add("ASOF LEFT JOIN (" + source(view, files.apply(view)) + ") " + v + " ON " + on
                    + " AND date_trunc('millisecond', e.event_timestamp) > " + v + ".__ts");
        }
        return "SELECT " + String.join(", ", select) + " FROM entity_rows e " + String.join(" ", joins);
    }

    private static String source(FeatureView view, List<Path> files) {
        List<String> columns = new ArrayList<>();
        view.joinKeys().forEach(key -> columns.add(quote(key.name())));
        if (files.isEmpty()) {
            List<String> empty = new ArrayList<>();
            view.joinKeys().forEach(key -> empty.add("NULL::" + sqlType(key.type()) + " AS " + quote(key.name())));
            empty.add("NULL::TIMESTAMP AS __ts");
            view.features().forEach(f -> empty.add("NULL::" + sqlType(f.type()) + " AS " + quote(f.name())));
            return "SELECT " + String.join(", ", empty) + " WHERE false";
        }
        String list = files.stream().map(ParquetOfflineStore::literal).collect(Collectors.joining(", "));
        List<String> features =
                view.features().stream().map(f -> quote(f.name())).toList();
        return "SELECT " + String.join(", ", columns) + ", event_timestamp AS __ts, " + String.join(", ", features)
                + " FROM read_parquet([" + list + "], union_by_name = true)"
                + " QUALIFY row_number() OVER (PARTITION BY " + String.join(", ", columns)
                + ", event_timestamp ORDER BY created_timestamp DESC) = 1";
    }
}
