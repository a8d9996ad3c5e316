package dev.sextant.training.pipeline;

import dev.sextant.registry.client.RegistryClient;
import dev.sextant.training.TrainingProperties.FeatureSpec;
import dev.sextant.training.dataset.Dataset;
import dev.sextant.training.dataset.Matrix;
import dev.sextant.training.job.JobSpec;
import dev.sextant.training.job.TrainingJob;
import dev.sextant.training.registry.ReferenceDistributions;
import dev.sextant.training.trainer.TrainedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.GitProperties;
import org.springframework.stereotype.Component;

/**
 * Registers a candidate: the ONNX artifact with its metrics, lineage (job, dataset fingerprint and time range,
 * code version, the native model it was exported from when its trainer has one), the feature binding it was trained with, and the reference distributions of its inputs and
 * score on the test split; then points the challenger alias at it.
 */
@Component
class Registration {

    /** The tag that names the job that registered a version: how a resumed job finds what it registered. */
    static final String JOB_TAG = "training_job_id";

    private final RegistryClient registry;
    private final String codeVersion;

    Registration(RegistryClient registry, ObjectProvider<GitProperties> git) {
        this.registry = registry;
        GitProperties properties = git.getIfAvailable();
        this.codeVersion =
                properties == null || properties.getShortCommitId() == null ? "unknown" : properties.getShortCommitId();
    }

    int register(
            TrainingJob job,
            Dataset dataset,
            Dataset.Split split,
            String trainer,
            Matrix test,
            float[] scores,
            byte[] onnx,
            Optional<TrainedModel.NativeModel> nativeModel,
            Map<String, Double> metrics) {
        JobSpec spec = job.spec();
        ReferenceDistributions reference = new ReferenceDistributions();
        List<Map<String, Object>> binding = new ArrayList<>();
        for (int c = 0; c < spec.features().size(); c++) {
            FeatureSpec feature = spec.features().get(c);
            reference.feature(
                    feature.ref(), test.column(c), dataset.missing(feature.ref(), split.testStart(), split.rows()));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ref", feature.ref());
            entry.put("default", feature.defaultValue());
            binding.add(entry);
        }
        reference.score(scores);
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("training_job_id", job.id());
        lineage.put("dataset_fingerprint", dataset.fingerprint());
        lineage.put("code_version", codeVersion);
        lineage.put("data_from", spec.dataFrom().toString());
        lineage.put("data_to", spec.dataTo().toString());
        // The registry records the native model's digest and size beside its format.
        nativeModel.ifPresent(model -> lineage.put("native_model", Map.of("format", model.format())));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(
                "description",
                trainer + " trained by job " + job.id() + " on " + dataset.rows() + " labelled events ("
                        + (job.reason() == null ? job.trigger() : job.reason()) + ")");
        metadata.put("tags", Map.of(JOB_TAG, job.id(), "trainer", trainer, "trigger", job.trigger()));
        metadata.put("metrics", metrics);
        metadata.put("lineage", lineage);
        metadata.put("features", binding);
        metadata.put(
                "reference_distributions",
                reference.document(
                        "test",
                        split.rows() - split.testStart(),
                        java.time.Instant.ofEpochMilli(dataset.eventTimes()[split.testStart()])
                                .toString(),
                        spec.dataTo().toString()));
        int version = registry.register(
                spec.model(),
                onnx,
                nativeModel.map(TrainedModel.NativeModel::bytes).orElse(null),
                metadata);
        alias(spec, job, version);
        return version;
    }

    void alias(JobSpec spec, TrainingJob job, int version) {
        registry.setAlias(spec.model(), spec.challengerAlias(), version, "passed the gate in training job " + job.id());
    }
}
