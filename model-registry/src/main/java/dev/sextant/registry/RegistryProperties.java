package dev.sextant.registry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the model registry, under {@code sextant.registry}.
 *
 * @param dataDir root of the local state (embedded database, artifacts)
 * @param artifactDir where the file-system artifact store keeps content-addressed ONNX files
 * @param maxArtifactSize largest accepted ONNX upload
 * @param maxMetadataSize largest accepted metadata JSON part
 * @param events the model-events.v1 outbox relay
 */
@Validated
@ConfigurationProperties("sextant.registry")
public record RegistryProperties(
        @NotNull Path dataDir,
        @NotNull Path artifactDir,
        @NotNull DataSize maxArtifactSize,
        @NotNull DataSize maxMetadataSize,
        @Valid @NotNull Events events) {

    /**
     * @param topic the Kafka topic of model events, created by the registry when missing (brokers should not
     *     auto-create topics)
     * @param partitions the topic's partitions when the registry creates it; events are keyed by model name, so
     *     each model's events stay in order
     * @param relayInterval pause between two relay passes over the outbox
     * @param batchSize events relayed per pass at most
     * @param leaseDuration how long one registry instance holds the relay role without renewing it
     * @param retention how long published events stay in the outbox table
     * @param degradedAfter age of the oldest unpublished event at which health reports DEGRADED
     */
    public record Events(
            @NotBlank String topic,
            @Min(1) int partitions,
            @NotNull Duration relayInterval,
            @Min(1) int batchSize,
            @NotNull Duration leaseDuration,
            @NotNull Duration retention,
            @NotNull Duration degradedAfter) {}
}
