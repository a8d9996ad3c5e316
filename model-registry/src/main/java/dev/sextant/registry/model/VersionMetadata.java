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

    VersionMetadata withLineage(Lineage replaced) {
        return new VersionMetadata(description, tags, metrics, replaced, features, referenceDistributions);
    }

    /**
     * Where a version came from.
     *
     * @param nativeModel the model in its training library's own format, uploaded beside the ONNX artifact (part
     *     {@code native}): the client names its format, the registry records its digest and size
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Lineage(
            String trainingJobId,
            String datasetFingerprint,
            String codeVersion,
            Instant dataFrom,
            Instant dataTo,
            NativeModel nativeModel) {

        static final Lineage NONE = new Lineage(null, null, null, null, null, null);

        Lineage withNativeModel(NativeModel stored) {
            return new Lineage(trainingJobId, datasetFingerprint, codeVersion, dataFrom, dataTo, stored);
        }
    }

    /**
     * A version's native model: what XGBoost, say, saved, from which the ONNX artifact was exported; kept so the
     * version can be audited against it later.
     *
     * @param format what it is, e.g. {@code xgboost-json}
     * @param sha256 its digest (set by the registry)
     * @param sizeBytes its size (set by the registry)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NativeModel(String format, String sha256, Long sizeBytes) {}

    /** One input column: a feature reference and its default. */
    public record FeatureBinding(String ref, @JsonProperty("default") JsonNode defaultValue) {}
}
