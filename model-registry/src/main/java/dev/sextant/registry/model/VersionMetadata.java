package dev.sextant.registry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a client says about a version at upload, in the optional multipart part {@code metadata}. Stored with
 * the version and returned by the API; validated by {@link MetadataParser}.
 *
 * @param features the ordered feature binding: in input-column order, the features the model consumes
 *     ({@code view:feature} from the online store or {@code request:name} from the caller) with the default
 *     used when a value is missing or stale
 * @param referenceDistributions training-time distributions of every input and of the score, for the monitor
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionMetadata(
        String description,
        Map<String, String> tags,
        Map<String, Double> metrics,
        Lineage lineage,
        List<FeatureBinding> features,
        JsonNode referenceDistributions) {

    static final VersionMetadata EMPTY = new VersionMetadata(null, Map.of(), Map.of(), Lineage.NONE, List.of(), null);

    public VersionMetadata {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        lineage = lineage == null ? Lineage.NONE : lineage;
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** Where a version came from. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Lineage(
            String trainingJobId, String datasetFingerprint, String codeVersion, Instant dataFrom, Instant dataTo) {

        static final Lineage NONE = new Lineage(null, null, null, null, null);
    }

    /** One input column: a feature reference and its default. */
    public record FeatureBinding(String ref, @JsonProperty("default") JsonNode defaultValue) {}
}
