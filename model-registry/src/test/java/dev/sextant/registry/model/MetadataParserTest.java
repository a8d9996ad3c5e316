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

    private VersionMetadata parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
