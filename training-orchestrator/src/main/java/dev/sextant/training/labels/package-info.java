/**
 * The label archive: {@code labels.v1} consumed into Parquet files, committed only once written, invalid records
 * dead-lettered.
 */
package dev.sextant.training.labels;
