package dev.sextant.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the training orchestrator, under {@code sextant.training}.
 *
 * @param dataDir root of the local state (embedded database, job work directories)
 * @param registryUrl the model registry
 * @param featureStoreUrl the feature store (historical retrieval)
 * @param featureRepository directory of feature definitions; empty means the classpath's (the example fraud
 *     domain's), as the feature store and the prediction service use
 * @param jobs how jobs are claimed, run and recovered
 * @param labels the labels.v1 archive
 * @param retrain retrain requests from monitoring
 * @param schedules cron schedules that start jobs
 * @param defaults what a job uses when neither its request nor its model's entry says
 * @param models per model: the training recipe a trigger without a body uses
 * @param kubernetes where jobs run as Kubernetes Jobs (jobs.runner = kubernetes)
 */
@Validated
@ConfigurationProperties("sextant.training")
public record TrainingProperties(
        @NotNull Path dataDir,
        @NotNull URI registryUrl,
        @NotNull URI featureStoreUrl,
        String featureRepository,
        @Valid @NotNull Jobs jobs,
        @Valid @NotNull Labels labels,
        @Valid @NotNull Retrain retrain,
        List<@Valid Schedule> schedules,
        @Valid @NotNull Defaults defaults,
        Map<String, @Valid ModelRecipe> models,
        @Valid @NotNull Kubernetes kubernetes) {

    public TrainingProperties {
        schedules = schedules == null ? List.of() : List.copyOf(schedules);
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    public enum Runner {
        IN_PROCESS,
        KUBERNETES
    }

    /**
     * @param runner where a claimed job runs: on this process's bounded executor, or as a Kubernetes Job
     * @param maxConcurrent jobs this instance runs at once (the executor's size)
     * @param pollInterval how often pending jobs are claimed
     * @param heartbeatInterval how often a running job's heartbeat is written
     * @param staleAfter a running job without a heartbeat for this long was interrupted (its process died)
     * @param maxAttempts an interrupted job is resumed (run again from its start) until it has been tried this
     *     often, then marked failed
     * @param keepWorkFiles whether a finished job's work directory (entity rows, training set, model) is kept
     */
    public record Jobs(
            @NotNull Runner runner,
            @Min(1) int maxConcurrent,
            @NotNull Duration pollInterval,
            @NotNull Duration heartbeatInterval,
            @NotNull Duration staleAfter,
            @Min(1) int maxAttempts,
            boolean keepWorkFiles) {}

    /**
     * @param enabled whether this instance archives labels.v1
     * @param topic the labels topic
     * @param partitions its partitions when the orchestrator creates it
     * @param archivePath the labels' offline archive: Parquet files, one per consumed batch and partition
     */
    public record Labels(boolean enabled, @NotBlank String topic, @Min(1) int partitions, @NotNull Path archivePath) {}

    /**
     * @param enabled whether retrain requests are consumed
     * @param topic the retrain requests topic
     * @param debounce a job started by a retrain request waits this long, so a burst joins one job
     * @param cooldown after a job started by a retrain request, further requests for that model are suppressed
     *     this long
     */
    public record Retrain(
            boolean enabled, @NotBlank String topic, @NotNull Duration debounce, @NotNull Duration cooldown) {}

    /** A cron schedule (Spring's six-field form, UTC) for one model. */
    public record Schedule(@NotBlank String model, @NotBlank String cron) {}

    /**
     * @param trainer the trainer a recipe names by default
     * @param window the labelled events a job trains on, ending when it starts
     * @param minRows fewest labelled rows a dataset may have
     * @param maxRows most labelled rows a dataset may have: a dataset is held in memory, so a job whose range
     *     holds more fails, naming its range, before the dataset is read into memory
     * @param validationFraction share of the rows (by event time, after the training rows) for validation
     * @param testFraction share of the rows (the latest) for the test set
     * @param targetPositiveRate negatives in the training split are downsampled until positives are this share
     *     of it (no downsampling when they already are); the scores are corrected for it
     * @param gate the champion/challenger gate
     * @param challengerAlias the alias a registered candidate gets
     * @param maxArtifactSize the largest ONNX model a job registers: the registry's own limit
     *     ({@code sextant.registry.max-artifact-size}), so a job fails naming it instead of at the upload
     */
    public record Defaults(
            @NotBlank String trainer,
            @NotNull Duration window,
            @Min(10) int minRows,
            @Min(10) int maxRows,
            @DecimalMin("0.01") @DecimalMax("0.5") double validationFraction,
            @DecimalMin("0.01") @DecimalMax("0.5") double testFraction,
            @DecimalMin("0.001") @DecimalMax("0.5") double targetPositiveRate,
            @Valid @NotNull Gate gate,
            @NotBlank String challengerAlias,
            @NotNull DataSize maxArtifactSize) {}

    /**
     * @param metric the metric the candidate must improve on the champion
     * @param minImprovement how much better than the champion's it must be
     * @param floors absolute floors: a metric's lowest acceptable value ({@code log_loss} and
     *     {@code calibration_error}: highest)
     */
    public record Gate(
            @NotBlank String metric,
            @DecimalMin("0") @DecimalMax("1") double minImprovement,
            Map<String, Double> floors) {
        public Gate {
            floors = floors == null ? Map.of() : Map.copyOf(floors);
        }
    }

    /**
     * A model's training recipe.
     *
     * @param trainer trainer name (null: the default)
     * @param features the feature binding to train with, in input-column order
     * @param segmentBy a feature or request value whose values the evaluation reports separately
     * @param hyperparameters the trainer's settings
     * @param alternatives further trainers a job trains on the same rows; the one best on the validation split
     *     (by the gate's metric) is the candidate
     */
    public record ModelRecipe(
            String trainer,
            @NotNull List<@Valid FeatureSpec> features,
            String segmentBy,
            Map<String, Double> hyperparameters,
            List<@Valid Alternative> alternatives) {
        public ModelRecipe {
            hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
            alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
        }
    }

    /** A trainer and its settings, trained beside a job's own trainer. */
    public record Alternative(@NotBlank String trainer, Map<String, Double> hyperparameters) {
        public Alternative {
            hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
        }
    }

    /** One input column: {@code view:feature} or {@code request:name}, and its default. */
    public record FeatureSpec(@NotBlank String ref, @JsonProperty("default") Double defaultValue) {}

    /**
     * @param namespace the namespace Jobs are created in
     * @param image the orchestrator's image, which the Job runs as a worker
     * @param apiUrl the Kubernetes API (in a pod: https://kubernetes.default.svc)
     * @param tokenPath the service account token
     * @param caPath the cluster's CA certificate
     * @param serviceAccount the Job's service account
     * @param cpu the worker's CPU request and limit
     * @param memory the worker's memory request and limit
     * @param configMap the ConfigMap the worker takes its environment from (the orchestrator's own)
     * @param secret the Secret the worker takes its environment from (database credentials)
     * @param labelsClaim the PersistentVolumeClaim holding the label archive (ReadWriteMany, shared with the
     *     orchestrator), mounted read-only in the worker at {@code sextant.training.labels.archive-path}
     */
    public record Kubernetes(
            @NotBlank String namespace,
            @NotBlank String image,
            @NotNull URI apiUrl,
            @NotNull Path tokenPath,
            @NotNull Path caPath,
            @NotBlank String serviceAccount,
            @NotBlank String cpu,
            @NotBlank String memory,
            @NotBlank String configMap,
            @NotBlank String secret,
            @NotBlank String labelsClaim) {}
}
