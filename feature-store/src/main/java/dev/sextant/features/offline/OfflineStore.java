package dev.sextant.features.offline;

import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.online.FeatureRow;
import java.util.List;

/**
 * The offline store: every row ever written for a view, kept for training. The seam for other engines; the
 * implementation is Parquet files queried with DuckDB.
 */
public interface OfflineStore {

    /** Appends validated rows of one view; visible to historical retrieval once this returns. */
    void append(FeatureView view, List<FeatureRow> rows);

    /**
     * Point-in-time retrieval: for each entity row, each feature as of the row's event timestamp — the latest
     * value written before it (as the features stood just before its time), null when none or when older than the view's TTL — written as a Parquet training
     * set.
     */
    TrainingSet historical(HistoricalRequest request);
}
