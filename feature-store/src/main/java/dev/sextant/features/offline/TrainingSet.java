package dev.sextant.features.offline;

import java.nio.file.Path;
import java.util.List;

/**
 * A training set written by historical retrieval: entity rows in their original order (join keys,
 * {@code event_timestamp}, the request values of on-demand views), then one column per requested feature, in
 * request order, named {@code view__feature}.
 */
public record TrainingSet(String id, Path path, long rows, List<String> columns) {}
