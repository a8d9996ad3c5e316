package dev.sextant.registry.model;

import dev.sextant.registry.api.ApiException;
import dev.sextant.web.problems.JsonErrors;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and checks the {@code metadata} part of an upload. Every rejection is a 400 whose message names the
 * offending field, for example {@code metadata.features[2].ref}.
 */
@Component
class MetadataParser {

    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.:/-]{1,250}");
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_.:/@-]{1,250}");
    private static final Pattern FEATURE_REF =
            Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final int MAX_TAGS = 100;
    private static final int MAX_METRICS = 500;
    private static final int MAX_TEXT = 10_000;
    /** The reference format monitoring reads (written by the training orchestrator). */
    static final String REFERENCE_FORMAT = "sextant.reference.v1";

    private final ObjectReader reader;

    MetadataParser(JsonMapper json) {
        this.reader = json.readerFor(VersionMetadata.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    VersionMetadata parse(byte[] content) {
        if (content == null || content.length == 0) {
            return VersionMetadata.EMPTY;
        }
        VersionMetadata metadata;
        try {
            metadata = reader.readValue(content);
        } catch (JacksonException e) {
            throw ApiException.badRequest(
                    "metadata" + JsonErrors.path(e) + " is not valid: " + e.getOriginalMessage(), e);
        }
        if (metadata == null) {
            throw ApiException.badRequest("metadata must be a JSON object");
        }
        validate(metadata);
        return metadata;
    }

    private static void validate(VersionMetadata metadata) {
        if (metadata.description() != null && metadata.description().length() > MAX_TEXT) {
            throw invalid("metadata.description", "must be at most " + MAX_TEXT + " characters");
        }
        validateTags(metadata.tags());
        validateMetrics(metadata.metrics());
        validateLineage(metadata.lineage());
        validateFeatures(metadata.features());
        if (metadata.referenceDistributions() != null) {
            validateReference(metadata.referenceDistributions());
        }
    }

    /**
     * Any JSON object; one in the format monitoring reads ({@code sextant.reference.v1}) must hold what monitoring
     * computes with: per column, 101 non-decreasing percentiles, ascending histogram edges with one more share than
     * edges, shares from 0 to 1, and finite summary numbers.
     */
    private static void validateReference(JsonNode reference) {
        String field = "metadata.reference_distributions";
        if (!reference.isObject()) {
            throw invalid(field, "must be a JSON object");
        }
        if (!REFERENCE_FORMAT.equals(reference.path("format").asString(""))) {
            return;
        }
        JsonNode features = reference.path("features");
        if (!features.isMissingNode()) {
            if (!features.isObject()) {
                throw invalid(field + ".features", "must be an object of columns by feature reference");
            }
            for (var column : features.properties()) {
                validateColumn(field + ".features['" + column.getKey() + "']", column.getValue());
            }
        }
        if (!reference.path("score").isMissingNode()) {
            validateColumn(field + ".score", reference.path("score"));
        }
    }

    private static void validateColumn(String field, JsonNode column) {
        if (!column.isObject()) {
            throw invalid(field, "must be an object");
        }
        for (String count : List.of("count", "missing")) {
            JsonNode value = column.path(count);
            if (!value.isMissingNode()
                    && !(value.canConvertToLong() && value.isIntegralNumber() && value.longValue() >= 0)) {
                throw invalid(field + "." + count, "must be a non-negative integer, got " + value);
            }
        }
        for (String number : List.of("min", "max", "mean")) {
            JsonNode value = column.path(number);
            if (!value.isMissingNode()) {
                finite(field + "." + number, value);
            }
        }
        JsonNode quantiles = column.path("quantiles");
        if (!quantiles.isMissingNode()) {
            if (!quantiles.isObject()) {
                throw invalid(field + ".quantiles", "must be an object of numbers");
            }
            quantiles.properties().forEach(q -> finite(field + ".quantiles." + q.getKey(), q.getValue()));
        }
        JsonNode percentiles = column.path("percentiles");
        if (!percentiles.isMissingNode()) {
            if (!percentiles.isArray() || percentiles.size() != 101) {
                throw invalid(field + ".percentiles", "must be an array of 101 numbers (0 % to 100 %)");
            }
            ascending(field + ".percentiles", percentiles, false);
        }
        JsonNode histogram = column.path("histogram");
        if (!histogram.isMissingNode()) {
            JsonNode edges = histogram.path("edges");
            JsonNode fractions = histogram.path("fractions");
            if (!edges.isArray() || !fractions.isArray() || fractions.size() != edges.size() + 1) {
                throw invalid(
                        field + ".histogram", "must hold arrays 'edges' and 'fractions', one more fraction than edges");
            }
            ascending(field + ".histogram.edges", edges, true);
            for (int i = 0; i < fractions.size(); i++) {
                share(field + ".histogram.fractions[" + i + "]", fractions.get(i));
            }
        }
        JsonNode frequencies = column.path("frequencies");
        if (!frequencies.isMissingNode() && !frequencies.isNull()) {
            if (!frequencies.isObject()) {
                throw invalid(field + ".frequencies", "must be an object of shares by value");
            }
            frequencies.properties().forEach(f -> share(field + ".frequencies['" + f.getKey() + "']", f.getValue()));
        }
    }

    private static double finite(String field, JsonNode value) {
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw invalid(field, "must be a finite number, got " + value);
        }
        return value.doubleValue();
    }

    private static void share(String field, JsonNode value) {
        double share = finite(field, value);
        if (share < 0 || share > 1) {
            throw invalid(field, "must be a share from 0 to 1, got " + value);
        }
    }

    private static void ascending(String field, JsonNode values, boolean strictly) {
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.size(); i++) {
            double value = finite(field + "[" + i + "]", values.get(i));
            if (strictly ? value <= previous : value < previous) {
                throw invalid(
                        field + "[" + i + "]",
                        "must be " + (strictly ? "greater than" : "at least") + " the" + " one before, " + previous
                                + "; got " + value);
            }
            previous = value;
        }
    }

    private static void validateTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw invalid("metadata.tags", "has " + tags.size() + " entries; at most " + MAX_TAGS);
        }
        tags.forEach((key, value) -> {
            if (!TAG_KEY.matcher(key).matches()) {
                throw invalid(
                        "metadata.tags['" + key + "']", "key must be 1-250 letters, digits, '_', '.', ':', '/' or '-'");
            }
            if (value == null || value.length() > 5000) {
                throw invalid("metadata.tags['" + key + "']", "value must be a string of at most 5000 characters");
            }
        });
    }

    private static void validateMetrics(Map<String, Double> metrics) {
        if (metrics.size() > MAX_METRICS) {
            throw invalid("metadata.metrics", "has " + metrics.size() + " entries; at most " + MAX_METRICS);
        }
        metrics.forEach((name, value) -> {
            if (!METRIC.matcher(name).matches()) {
                throw invalid("metadata.metrics['" + name + "']", "name must be 1-250 letters, digits or _.:/@-");
            }
            if (value == null || !Double.isFinite(value)) {
                throw invalid("metadata.metrics['" + name + "']", "must be a finite number");
            }
        });
    }

    private static void validateLineage(VersionMetadata.Lineage lineage) {
        checkLength("metadata.lineage.training_job_id", lineage.trainingJobId(), 200);
        checkLength("metadata.lineage.dataset_fingerprint", lineage.datasetFingerprint(), 200);
        checkLength("metadata.lineage.code_version", lineage.codeVersion(), 200);
        if (lineage.dataFrom() != null
                && lineage.dataTo() != null
                && lineage.dataTo().isBefore(lineage.dataFrom())) {
            throw invalid("metadata.lineage.data_to", "must not be before data_from");
        }
        VersionMetadata.NativeModel nativeModel = lineage.nativeModel();
        if (nativeModel != null) {
            if (nativeModel.format() == null
                    || !NATIVE_FORMAT.matcher(nativeModel.format()).matches()) {
                throw invalid(
                        "metadata.lineage.native_model.format",
                        "must be 1-50 lowercase letters, digits, '.', '+' or '-' (e.g. xgboost-json), got "
                                + nativeModel.format());
            }
            if (nativeModel.sha256() != null || nativeModel.sizeBytes() != null) {
                throw invalid(
                        "metadata.lineage.native_model",
                        "sha256 and size_bytes are set by the registry from part 'native'; send only the format");
            }
        }
    }

    private static final java.util.regex.Pattern NATIVE_FORMAT = java.util.regex.Pattern.compile("[a-z0-9.+-]{1,50}");

    private static void validateFeatures(List<VersionMetadata.FeatureBinding> features) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            VersionMetadata.FeatureBinding binding = features.get(i);
            String field = "metadata.features[" + i + "]";
            if (binding == null) {
                throw invalid(field, "must be an object with 'ref' and 'default'");
            }
            if (binding.ref() == null || !FEATURE_REF.matcher(binding.ref()).matches()) {
                throw invalid(field + ".ref", "must be 'view:feature' or 'request:name', got '" + binding.ref() + "'");
            }
            if (!seen.add(binding.ref())) {
                throw invalid(field + ".ref", "'" + binding.ref() + "' is bound twice");
            }
            if (binding.defaultValue() != null && binding.defaultValue().isContainer()) {
                throw invalid(field + ".default", "must be a number, string, boolean or null");
            }
        }
    }

    private static void checkLength(String field, String value, int max) {
        if (value != null && (value.isBlank() || value.length() > max)) {
            throw invalid(field, "must be 1-" + max + " characters");
        }
    }

    private static ApiException invalid(String field, String problem) {
        return ApiException.badRequest(field + " " + problem);
    }
}
