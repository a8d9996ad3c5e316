package dev.sextant.registry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.registry.api.ApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class MetadataParserTest {

    private final MetadataParser parser = new MetadataParser(JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build());

    @Test
    void absentMetadataIsEmpty() {
        assertThat(parser.parse(null)).isEqualTo(VersionMetadata.EMPTY);
        assertThat(parser.parse(new byte[0])).isEqualTo(VersionMetadata.EMPTY);
    }

    @Test
    void readsEveryField() {
        VersionMetadata metadata = parse(
                """
                {"description": "d", "tags": {"team": "risk"}, "metrics": {"roc_auc": 0.9},
                 "lineage": {"training_job_id": "job-1", "data_from": "2026-01-01T00:00:00Z"},
                 "features": [{"ref": "card:count_1h", "default": 0}, {"ref": "request:amount"}],
                 "reference_distributions": {"card:count_1h": {"bins": [1, 2]}}}
                """);
        assertThat(metadata.tags()).containsEntry("team", "risk");
        assertThat(metadata.metrics()).containsEntry("roc_auc", 0.9);
        assertThat(metadata.lineage().trainingJobId()).isEqualTo("job-1");
        assertThat(metadata.features())
                .extracting(VersionMetadata.FeatureBinding::ref)
                .containsExactly("card:count_1h", "request:amount");
        assertThat(metadata.referenceDistributions().has("card:count_1h")).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{not json                                        | metadata",
                "[1, 2]                                           | metadata",
                "{\"unknown\": 1}                                 | unknown",
                "{\"metrics\": {\"auc\": \"high\"}}               | metadata.metrics.auc",
                "{\"tags\": {\"bad key\": \"v\"}}                 | metadata.tags['bad key']",
                "{\"features\": [{\"ref\": \"nocolon\"}]}         | metadata.features[0].ref",
                "{\"features\": [{\"ref\": \"a:b\"}, {\"ref\": \"a:b\"}]} | metadata.features[1].ref",
                "{\"features\": [{\"ref\": \"a:b\", \"default\": [1]}]}   | metadata.features[0].default",
                "{\"lineage\": {\"code_version\": \"\"}}          | metadata.lineage.code_version",
                "{\"lineage\": {\"data_from\": \"2026-02-01T00:00:00Z\", \"data_to\": \"2026-01-01T00:00:00Z\"}} | data_to",
                "{\"reference_distributions\": [1]}               | metadata.reference_distributions",
                "{} {}                                            | metadata"
            })
    void rejectsInvalidMetadataNamingTheField(String json, String field) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ApiException.class).hasMessageContaining(field);
    }

    /** A reference as the training orchestrator writes it, with {@code column} as the score's column. */
    private static String reference(String column) {
        return "{\"reference_distributions\": {\"format\": \"sextant.reference.v1\", \"features\": {\"card:count_1h\": "
                + column(PERCENTILES, "[1, 2]", "[0.2, 0.5, 0.3]", "{\"0.0\": 0.5, \"1.0\": 0.5}") + "}, \"score\": "
                + column + "}}";
    }

    private static String column(String percentiles, String edges, String fractions, String frequencies) {
        return "{\"count\": 10, \"missing\": 0, \"min\": 0.0, \"max\": 100.0, \"mean\": 50, \"quantiles\":"
                + " {\"p50\": 50}, \"percentiles\": " + percentiles + ", \"histogram\": {\"edges\": " + edges
                + ", \"fractions\": " + fractions + "}, \"frequencies\": " + frequencies + "}";
    }

    private static final String PERCENTILES = java.util.stream.IntStream.rangeClosed(0, 100)
            .mapToObj(Integer::toString)
            .collect(java.util.stream.Collectors.joining(", ", "[", "]"));

    @Test
    void acceptsAReferenceMonitoringCanReadAndAnyObjectOfAnotherFormat() {
        assertThat(parse(reference(column(PERCENTILES, "[1, 2]", "[0.2, 0.5, 0.3]", "null")))
                        .referenceDistributions()
                        .at("/score/percentiles")
                        .size())
                .isEqualTo(101);
        assertThat(parse("{\"reference_distributions\": {\"format\": \"mine\", \"score\": {\"percentiles\": \"x\"}}}")
                        .referenceDistributions()
                        .has("score"))
                .isTrue();
    }

    /** Each was stored and met by monitoring as a number it could not read. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "[0, \"x\"]                | metadata.reference_distributions.score.percentiles must be an array of 101 numbers (0 % to 100 %)",
                "P:\"high\"                | metadata.reference_distributions.score.percentiles[100] must be a finite number, got \"high\"",
                "P:-1                       | metadata.reference_distributions.score.percentiles[100] must be at least the one before, 99.0; got -1.0",
                "E:[2, 1]                   | metadata.reference_distributions.score.histogram.edges[1] must be greater than the one before, 2.0; got 1.0",
                "F:[0.2, 1.5, 0.3]          | metadata.reference_distributions.score.histogram.fractions[1] must be a share from 0 to 1, got 1.5",
                "F:[0.5, 0.5]               | metadata.reference_distributions.score.histogram must hold arrays 'edges' and 'fractions', one more fraction than edges",
                "Q:{\"1\": \"half\"}         | metadata.reference_distributions.score.frequencies['1'] must be a finite number, got \"half\""
            })
    void refusesAReferenceMonitoringCannotReadNamingTheField(String change, String message) {
        String percentiles = PERCENTILES;
        String edges = "[1, 2]";
        String fractions = "[0.2, 0.5, 0.3]";
        String frequencies = "null";
        if (change.startsWith("P:")) {
            percentiles = PERCENTILES.replace(", 100]", ", " + change.substring(2) + "]");
        } else if (change.startsWith("E:")) {
            edges = change.substring(2);
        } else if (change.startsWith("F:")) {
            fractions = change.substring(2);
        } else if (change.startsWith("Q:")) {
            frequencies = change.substring(2);
        } else {
            percentiles = change;
        }
        String json = reference(column(percentiles, edges, fractions, frequencies));
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ApiException.class).hasMessage(message);
    }

    private VersionMetadata parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
