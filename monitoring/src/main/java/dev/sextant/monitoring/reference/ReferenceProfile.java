package dev.sextant.monitoring.reference;

import dev.sextant.registry.client.FeatureBinding;
import dev.sextant.registry.client.ModelVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A version's training-time reference ({@code sextant.reference.v1}, written by the training orchestrator): per
 * input column and for the score, its percentiles, decile histogram and, for columns with few values, exact
 * frequencies.
 *
 * @param features the version's feature binding, in input-column order
 * @param columns by feature reference, plus {@code score}
 */
public record ReferenceProfile(List<String> features, Map<String, Column> columns) {

    public static final String SCORE = "score";

    /**
     * @param percentiles 101 values, 0 % to 100 %
     * @param edges histogram edges
     * @param fractions histogram shares, one more than the edges
     * @param frequencies exact value shares, or null when the column has many values
     */
    public record Column(double[] percentiles, double[] edges, double[] fractions, Map<String, Double> frequencies) {}

    /** The registry's version's profile; a version without a (recognised) reference has no columns. */
    public static ReferenceProfile of(ModelVersion version) {
        List<String> features =
                version.features().stream().map(FeatureBinding::ref).toList();
        Map<String, Column> columns = new LinkedHashMap<>();
        JsonNode reference =
                version.referenceDistributions() == null ? MissingNode.getInstance() : version.referenceDistributions();
        if ("sextant.reference.v1".equals(reference.path("format").asString(""))) {
            for (var entry : reference.path("features").properties()) {
                column(entry.getValue()).ifPresent(column -> columns.put(entry.getKey(), column));
            }
            column(reference.path("score")).ifPresent(column -> columns.put(SCORE, column));
        }
        return new ReferenceProfile(features, Map.copyOf(columns));
    }

    /**
     * A column in the format, or empty: the registry refuses a reference whose numbers are not numbers, and one
     * registered before it did is read without the columns it cannot use.
     */
    private static java.util.Optional<Column> column(JsonNode node) {
        JsonNode percentiles = node.path("percentiles");
        JsonNode histogram = node.path("histogram");
        if (!percentiles.isArray()
                || percentiles.size() != 101
                || !numbers(percentiles)
                || !numbers(histogram.path("edges"))
                || !numbers(histogram.path("fractions"))
                || (node.path("frequencies").isObject() && !numbers(node.path("frequencies")))) {
            return java.util.Optional.empty();
        }
        Map<String, Double> frequencies = null;
        if (node.path("frequencies").isObject()) {
            frequencies = new LinkedHashMap<>();
            for (var entry : node.path("frequencies").properties()) {
                frequencies.put(entry.getKey(), entry.getValue().doubleValue());
            }
        }
        return java.util.Optional.of(new Column(
                doubles(percentiles),
                doubles(node.path("histogram").path("edges")),
                doubles(node.path("histogram").path("fractions")),
                frequencies));
    }

    private static boolean numbers(JsonNode container) {
        for (JsonNode value : container.values()) {
            if (!value.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }
}
