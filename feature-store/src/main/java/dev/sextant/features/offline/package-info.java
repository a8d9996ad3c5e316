/**
 * The offline store: Parquet files per view queried with DuckDB, point-in-time historical retrieval with on-demand
 * columns, materialization to the online store, disk retention.
 */
package dev.sextant.features.offline;
