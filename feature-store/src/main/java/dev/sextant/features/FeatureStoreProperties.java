package dev.sextant.features;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the feature store, under {@code sextant.features}.
 *
 * @param repository a directory of YAML definition files; blank for the classpath's (the example fraud domain's)
 * @param offline the offline store and historical retrieval
 * @param online the online store
 * @param stream the streaming aggregates (Kafka Streams; {@code spring.kafka.streams.*} configures the client)
 * @param maxClockSkew how far past the feature store's clock an event time may be (producers' clocks drift): a
 *     pushed row, a historical entity row or a stream event dated later is refused
 */
@Validated
@ConfigurationProperties("sextant.features")
public record FeatureStoreProperties(
        String repository,
        @Valid @NotNull Offline offline,
        @Valid @NotNull Online online,
        @Valid @NotNull Stream stream,
        @NotNull Duration maxClockSkew) {

    /**
     * @param path the offline store: one directory of Parquet files per feature view
     * @param trainingSetsPath where historical retrieval writes training sets (Parquet)
     * @param memoryLimit DuckDB's memory budget per query; larger joins spill to disk under {@code path}
     * @param maxInlineEntityRows entity rows accepted inline in a historical request (more: a Parquet file)
     * @param trainingSetRetention how long a training set stays on disk after it was written
     * @param uploadRetention how long a staged entity-row upload a crash left behind stays on disk
     * @param cleanupInterval how often training sets and uploads past their retention are deleted
     */
    public record Offline(
            @NotNull java.nio.file.Path path,
            @NotNull java.nio.file.Path trainingSetsPath,
            @NotNull String memoryLimit,
            @Min(1) int maxInlineEntityRows,
            @NotNull Duration trainingSetRetention,
            @NotNull Duration uploadRetention,
            @NotNull Duration cleanupInterval) {}

    /**
     * @param timeout how long one Redis round trip may take before the request is answered 503
     * @param maxEntityRows entity rows per online read at most (400 above)
     * @param maxPushRows rows per push at most (400 above)
     * @param expiryGrace kept in Redis past a view's TTL, so stale values read as OUTSIDE_MAX_AGE, not NOT_FOUND
     */
    public record Online(
            @NotNull Duration timeout,
            @Min(1) @Max(100_000) int maxEntityRows,
            @Min(1) @Max(1_000_000) int maxPushRows,
            @NotNull Duration expiryGrace) {}

    /**
     * @param enabled whether the Kafka Streams topology computing the stream views runs
     * @param onlineFlushInterval how often aggregates are written online: the bound on their freshness
     * @param maxPendingRows rows queued per view and task before they are written online at once
     * @param onlineRetry how long a commit waits for an unavailable online store before the task restarts
     * @param ageingDelay how long after a minute boundary a live task with no event past it ages its windows by
     *     the clock (events still on their way that belong before the boundary then count as late)
     */
    public record Stream(
            boolean enabled,
            @NotNull Duration onlineFlushInterval,
            @Min(1) int maxPendingRows,
            @NotNull Duration onlineRetry,
            @NotNull Duration ageingDelay) {}
}
