package dev.sextant.prediction;

import dev.sextant.prediction.runtime.OnnxModelRunner;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the prediction service ({@code sextant.prediction}).
 *
 * @param registry where the model registry is and how long to wait for it
 * @param models the registered models to serve; empty means every model that has an alias
 * @param reconcileInterval how often the loaded versions are compared with the registry's aliases
 * @param modelEventsTopic the registry's model events: each one makes the service reconcile at once
 * @param runtime ONNX Runtime session settings, the same for every model
 * @param logs where and how prediction logs are published
 * @param features how the domain API reads a model's online features
 * @param batching dynamic batching, per model
 * @param shadow how a rollout's shadow version scores requests beside the version that answers them
 */
@Validated
@ConfigurationProperties("sextant.prediction")
public record PredictionProperties(
        @Valid @NotNull Registry registry,
        @NotNull List<String> models,
        @NotNull Duration reconcileInterval,
        @NotBlank String modelEventsTopic,
        @Valid @NotNull Runtime runtime,
        @Valid @NotNull Logs logs,
        @Valid @NotNull Features features,
        @Valid @NotNull Batching batching,
        @Valid @NotNull Shadow shadow) {

    /**
     * A shadow scores after the answer, on threads of its own: never on a request's thread, never more work waiting
     * than {@code queueCapacity}; beyond it a shadow scoring is dropped and counted.
     *
     * @param threads threads that score shadows, for every model together
     * @param queueCapacity shadow scorings waiting at most
     */
    public record Shadow(@Min(1) int threads, @Min(1) int queueCapacity) {}

    /**
     * Dynamic batching: the settings every model gets, and per model name the ones that replace them (each
     * setting a model leaves out is the default's).
     */
    public record Batching(@Valid @NotNull BatchSettings defaults, Map<String, BatchSettings> models) {

        public Batching {
            models = models == null ? Map.of() : Map.copyOf(models);
        }

        public BatchSettings forModel(String model) {
            BatchSettings own = models.get(model);
            return own == null ? defaults : own.orElse(defaults);
        }
    }

    /**
     * The knobs Triton users know.
     *
     * @param enabled whether requests to the model are batched (only models whose inputs and outputs all have a
     *     variable first dimension are)
     * @param maxBatchSize rows per ONNX Runtime run at most
     * @param maxQueueDelay how long the oldest queued request waits for others to join its batch
     * @param queueCapacity requests waiting at most; beyond, refused at once (503)
     * @param timeout how long a request waits for its answer (queue and run) before it is refused (503)
     * @param workers threads forming and running batches of the model concurrently (Triton's instance count)
     */
    public record BatchSettings(
            Boolean enabled,
            @Min(1) Integer maxBatchSize,
            Duration maxQueueDelay,
            @Min(1) Integer queueCapacity,
            Duration timeout,
            @Min(1) Integer workers) {

        BatchSettings orElse(BatchSettings defaults) {
            return new BatchSettings(
                    enabled != null ? enabled : defaults.enabled(),
                    maxBatchSize != null ? maxBatchSize : defaults.maxBatchSize(),
                    maxQueueDelay != null ? maxQueueDelay : defaults.maxQueueDelay(),
                    queueCapacity != null ? queueCapacity : defaults.queueCapacity(),
                    timeout != null ? timeout : defaults.timeout(),
                    workers != null ? workers : defaults.workers());
        }
    }

    /**
     * @param repository a directory of feature definition YAML files; blank for the classpath's (the example
     *     fraud domain's, the one the feature store serves by default)
     * @param timeout how long a read of the online store may take before it counts as unavailable
     * @param maxRows entity rows per domain request at most
     * @param whenUnavailable what the domain API does while the online store is unavailable, unless the model
     *     has its own policy
     * @param whenUnavailableByModel per model name, the policy that replaces {@code whenUnavailable}
     */
    public record Features(
            String repository,
            @NotNull Duration timeout,
            @Min(1) int maxRows,
            @NotNull WhenUnavailable whenUnavailable,
            Map<String, WhenUnavailable> whenUnavailableByModel) {

        public Features {
            whenUnavailableByModel = whenUnavailableByModel == null ? Map.of() : Map.copyOf(whenUnavailableByModel);
        }

        public WhenUnavailable whenUnavailable(String model) {
            return whenUnavailableByModel.getOrDefault(model, whenUnavailable);
        }
    }

    /** What the domain API answers while the online store (Redis) cannot be read. */
    public enum WhenUnavailable {
        /** Every online feature takes its default; the answer says {@code "degraded": true}. */
        DEGRADE,
        /** 503 at once, naming the online store. */
        FAIL
    }

    /**
     * @param topic the Kafka topic of prediction logs, created by the service when missing
     * @param partitions its partitions when the service creates it (logs are keyed by model)
     * @param bufferCapacity logs held for Kafka at most; beyond, new logs are dropped and counted
     */
    public record Logs(@NotBlank String topic, @Min(1) int partitions, @Min(1) int bufferCapacity) {}

    /**
     * @param url base URL of the model registry
     * @param timeout connect and read timeout of each call (an artifact download included)
     */
    public record Registry(@NotNull URI url, @NotNull Duration timeout) {}

    /**
     * @param intraOpThreads threads one operator may use (ONNX Runtime's intra-op pool, per session)
     * @param interOpThreads threads for running independent operators in parallel (per session)
     * @param executionProvider {@code auto} (CUDA when the build has it, else the CPU), {@code cpu} or {@code cuda}
     *     (falling back to the CPU when the build or the machine cannot)
     * @param cudaDevice the GPU sessions use when they run on CUDA
     */
    public record Runtime(
            @Min(1) int intraOpThreads,
            @Min(1) int interOpThreads,
            @NotNull OnnxModelRunner.ExecutionProvider executionProvider,
            @Min(0) int cudaDevice) {}
}
