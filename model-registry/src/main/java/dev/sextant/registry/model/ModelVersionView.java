package dev.sextant.registry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sextant.registry.signature.Signature;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A model version as the API returns it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelVersionView(
        String name,
        int version,
        String sha256,
        long sizeBytes,
        Signature signature,
        String description,
        Map<String, String> tags,
        Map<String, Double> metrics,
        VersionMetadata.Lineage lineage,
        List<VersionMetadata.FeatureBinding> features,
        JsonNode referenceDistributions,
        List<String> aliases,
        Instant createdAt,
        String createdBy) {}
