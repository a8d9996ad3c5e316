package dev.sextant.registry.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A model version as the registry describes it (its artifact is read apart: {@link RegistryClient#artifact}).
 *
 * @param sha256 the ONNX artifact's digest
 * @param signature the artifact's inputs and outputs, as the registry read them from the ONNX graph
 * @param lineage where the version came from (training job, data, code, native model), as registered
 * @param features its feature binding, in input-column order
 * @param referenceDistributions training-time distributions of its inputs and score ({@code sextant.reference.v1}),
 *     or null
 * @param aliases the aliases that point to it
 */
public record ModelVersion(
        String name,
        int version,
        String sha256,
        long sizeBytes,
        JsonNode signature,
        String description,
        Map<String, String> tags,
        Map<String, Double> metrics,
        JsonNode lineage,
        List<FeatureBinding> features,
        JsonNode referenceDistributions,
        List<String> aliases,
        Instant createdAt,
        String createdBy) {

    public ModelVersion {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        features = features == null ? List.of() : List.copyOf(features);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
