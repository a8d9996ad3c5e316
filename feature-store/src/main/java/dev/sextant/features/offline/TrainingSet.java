package dev.sextant.features.offline;

import java.nio.file.Path;
import java.util.List;

/**
 * A training set written by historical retrieval: entity rows in their original order, their columns, then
 * one column per feature named {@code view__feature}.
 */
public record TrainingSet(String id, Path path, long rows, List<String> columns) {}
