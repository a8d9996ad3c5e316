package dev.sextant.features.offline;

import static dev.sextant.features.offline.ParquetOfflineStore.execute;
import static dev.sextant.features.offline.ParquetOfflineStore.quote;
import static dev.sextant.features.offline.ParquetOfflineStore.sqlType;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRef;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.ondemand.OnDemandComputation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Computes the on-demand features of a training set with the same {@link OnDemandComputation} as online reads:
 * streams the point-in-time rows (table {@code pit}) through the transformation and appends the results, keyed
 * by {@code __row}, to table {@code on_demand}, which spills to disk like any DuckDB table.
 */
final class OnDemandColumns {

    private OnDemandColumns() {}

    static void compute(Connection duck, HistoricalSelection selection) throws SQLException {
        List<String> columns = new ArrayList<>(List.of("__row BIGINT"));
        selection
                .onDemand()
                .forEach((view, features) -> features.forEach(
                        feature -> columns.add(quote(HistoricalSelection.column(view.name(), feature.name())) + " "
                                + sqlType(feature.type()))));
        execute(duck, "CREATE TABLE on_demand (" + String.join(", ", columns) + ")");
        List<String> read = new ArrayList<>(List.of("__row"));
        selection.requestFields().forEach(field -> read.add(quote(field.name())));
        for (OnDemandView view : selection.onDemand().keySet()) {
            for (FeatureRef input : view.inputs()) {
                read.add(quote(HistoricalSelection.column(input.view(), input.feature())));
            }
        }
        try (Statement statement = duck.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + String.join(", ", read) + " FROM pit");
                DuckDBAppender appender = duck.unwrap(DuckDBConnection.class)
                        .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "on_demand")) {
            int requestCount = selection.requestFields().size();
            Map<OnDemandView, int[]> requestColumns = new HashMap<>();
            selection
                    .onDemand()
                    .keySet()
                    .forEach(view -> requestColumns.put(
                            view,
                            view.request().stream()
                                    .mapToInt(field ->
                                            2 + selection.requestFields().indexOf(field))
                                    .toArray()));
            while (rows.next()) {
                appender.beginRow();
                appender.append(rows.getLong(1));
                int column = 2 + requestCount;
                for (Map.Entry<OnDemandView, List<Feature>> entry :
                        selection.onDemand().entrySet()) {
                    OnDemandView view = entry.getKey();
                    Object[] inputs = new Object[view.inputs().size()];
                    for (int k = 0; k < inputs.length; k++) {
                        inputs[k] = rows.getObject(column++);
                    }
                    int[] requestColumn = requestColumns.get(view);
                    Object[] request = new Object[requestColumn.length];
                    for (int k = 0; k < request.length; k++) {
                        request[k] = rows.getObject(requestColumn[k]);
                    }
                    Map<String, Object> values = OnDemandComputation.compute(view, inputs, request);
                    for (Feature feature : entry.getValue()) {
                        ParquetOfflineStore.append(appender, feature.type(), values.get(feature.name()));
                    }
                }
                appender.endRow();
            }
        }
    }
}
