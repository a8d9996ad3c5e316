package dev.sextant.training.pipeline;

import dev.sextant.registry.client.ModelVersion;
import dev.sextant.registry.client.RegistryClient;
import dev.sextant.training.TrainingProperties;
import dev.sextant.training.TrainingProperties.FeatureSpec;
import dev.sextant.training.dataset.Dataset;
import dev.sextant.training.dataset.DatasetBuilder;
import dev.sextant.training.dataset.DatasetBuilder.DatasetException;
import dev.sextant.training.evaluation.ChampionGate;
import dev.sextant.training.evaluation.OnnxScorer;
import dev.sextant.training.evaluation.UnscorableModelException;
import dev.sextant.training.job.JobSpec;
import dev.sextant.training.job.JobState;
import dev.sextant.training.job.TrainingJob;
import dev.sextant.training.trainer.Trainers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One job's steps: dataset → each of the job's trainers trained and its ONNX export checked against its own
 * predictions → the best on the validation split is the candidate → evaluation beside the champion → the gate →
 * registration as challenger, or rejection with the evidence.
 */
public class TrainingPipeline {

    static final String CHAMPION = "champion";

    private final DatasetBuilder datasets;
    private final RegistryClient registry;
    private final Trainers trainers;
    private final Registration registration;
    private final Path jobsDirectory;
    private final int maxRows;
    private final long maxArtifactBytes;

    TrainingPipeline(
            DatasetBuilder datasets,
            RegistryClient registry,
            Trainers trainers,
            Registration registration,
            Path jobsDirectory,
            TrainingProperties.Defaults defaults) {
        this.datasets = datasets;
        this.registry = registry;
        this.trainers = trainers;
        this.registration = registration;
        this.jobsDirectory = jobsDirectory;
        this.maxRows = defaults.maxRows();
        this.maxArtifactBytes = defaults.maxArtifactSize().toBytes();
    }

    public Path workDirectory(String jobId) {
        return jobsDirectory.resolve(jobId);
    }

    public Outcome run(TrainingJob job, JobContext context) {
        JobSpec spec = job.spec();
        Map<String, Object> saved = context.savedReport();
        Optional<Integer> registered = registry.taggedVersion(spec.model(), Registration.JOB_TAG, job.id())
                .map(ModelVersion::version);
        if (registered.isPresent() && saved != null) {
            context.log("version " + registered.get() + " was registered by an earlier run of this job");
            registration.alias(spec, job, registered.get());
            return new Outcome(registered.get(), metricsOf(saved), saved, "registered version " + registered.get());
        }

        context.progress(JobState.BUILDING_DATASET, "looking up the champion", 0.02);
        Optional<Champion> champion = champion(spec.model());
        champion.ifPresentOrElse(
                c -> context.log("champion: version " + c.version() + " binding " + refs(c.features())),
                () -> context.log("no champion: the gate's floors decide"));
        List<String> refs = new ArrayList<>(spec.refs());
        champion.ifPresent(c -> datasets.resolvable(refs(c.features())).stream()
                .filter(ref -> !refs.contains(ref))
                .forEach(refs::add));

        context.progress(JobState.BUILDING_DATASET, "building the point-in-time dataset", 0.05);
        Dataset dataset = datasets.build(
                refs,
                spec.segmentBy(),
                spec.dataFrom(),
                spec.dataTo(),
                spec.minRows(),
                maxRows,
                workDirectory(job.id()),
                context::log);
        Dataset.Split split = dataset.split(spec.validationFraction(), spec.testFraction());
        requireBothClasses(dataset, 0, split.validationStart(), "training");
        requireBothClasses(dataset, split.testStart(), split.rows(), "test");
        context.log(String.format(
                "split by event time: %d training, %d validation, %d test rows",
                split.validationStart(),
                split.testStart() - split.validationStart(),
                split.rows() - split.testStart()));
        context.checkCancelled();

        Candidates.Selection selection = Candidates.train(trainers, spec, dataset, split, context);
        Candidates.Candidate candidate = selection.chosen();
        checkArtifactSize(candidate);
        context.progress(JobState.EVALUATING, "evaluating " + candidate.trainer() + " beside the champion", 0.7);
        Evaluation evaluation = candidate.evaluation();
        Map<String, Object> championReport =
                champion.map(c -> scoreChampion(c, dataset, split, context)).orElse(null);
        @SuppressWarnings("unchecked")
        Map<String, Double> championMetrics =
                championReport == null ? null : (Map<String, Double>) championReport.get("metrics");
        ChampionGate.Decision decision = ChampionGate.decide(evaluation.metrics(), championMetrics, spec.gate());
        decision.reasons().forEach(reason -> context.log("gate: " + reason));
        Map<String, Double> metrics = new LinkedHashMap<>(evaluation.metrics());
        metrics.put("onnx_max_abs_difference", candidate.difference());
        Map<String, Object> report = Evaluation.report(
                dataset,
                split,
                candidate.sampling().indexes().length,
                candidate.sampling().negativeRate(),
                spec,
                candidate.trainer(),
                candidate.hyperparameters(),
                selection.report(),
                metrics,
                evaluation.segments(),
                championReport,
                decision);
        context.saveReport(metrics, report);
        if (!decision.passed()) {
            return new Outcome(null, metrics, report, "rejected: " + String.join("; ", failed(decision)));
        }
        context.checkCancelled();

        context.progress(JobState.REGISTERING, "registering the candidate", 0.9);
        int version = registration.register(
                job,
                dataset,
                split,
                candidate.trainer(),
                candidate.testRows(),
                candidate.test(),
                candidate.onnx(),
                candidate.model().nativeModel(),
                metrics);
        context.log("registered version " + version + " as " + spec.challengerAlias());
        return new Outcome(version, metrics, report, "registered version " + version);
    }

    /** The ONNX model must fit the registry's artifact limit, which the job says before it registers anything. */
    private void checkArtifactSize(Candidates.Candidate candidate) {
        if (candidate.onnx().length > maxArtifactBytes) {
            throw new IllegalStateException(String.format(
                    "the %s model's ONNX form is %.1f MB, above the artifact limit of %.1f MB"
                            + " (sextant.training.defaults.max-artifact-size, as the registry's): fewer or shallower"
                            + " trees, or fewer factors, make it smaller",
                    candidate.trainer(), candidate.onnx().length / 1e6, maxArtifactBytes / 1e6));
        }
    }

    /** A registered version: its number, binding (a default that is not a number is none) and artifact. */
    private record Champion(int version, List<FeatureSpec> features, byte[] onnx) {}

    /** The version the champion alias points to, with its artifact; empty when the model or the alias does not exist. */
    private Optional<Champion> champion(String model) {
        return registry.alias(model, CHAMPION)
                .map(alias -> new Champion(
                        alias.version(),
                        alias.modelVersion().features().stream()
                                .map(binding -> new FeatureSpec(binding.ref(), binding.numericDefault()))
                                .toList(),
                        registry.artifact(model, alias.version())));
    }

    /** The champion on the same rows, with its own binding: its version and metrics, or why it cannot be scored. */
    private static Map<String, Object> scoreChampion(
            Champion champion, Dataset dataset, Dataset.Split split, JobContext context) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("version", champion.version());
        try (OnnxScorer scorer = new OnnxScorer(champion.onnx())) {
            Evaluation theirs = Evaluation.of(
                    dataset,
                    split,
                    scorer.score(dataset.matrix(champion.features(), split.testStart(), split.rows())),
                    scorer.score(dataset.matrix(champion.features(), split.validationStart(), split.testStart())));
            report.put("metrics", theirs.metrics());
        } catch (UnscorableModelException e) {
            report.put("unscorable", e.getMessage());
            context.log("the champion cannot be scored offline: " + e.getMessage());
        }
        return report;
    }

    private static List<String> failed(ChampionGate.Decision decision) {
        return decision.reasons().stream()
                .filter(r -> r.contains("NOT met") || r.contains("not available"))
                .toList();
    }

    private static void requireBothClasses(Dataset dataset, int from, int to, String split) {
        int positives = 0;
        for (boolean label : dataset.labels(from, to)) {
            positives += label ? 1 : 0;
        }
        if (positives == 0 || positives == to - from) {
            throw new DatasetException("the " + split + " split (" + (to - from) + " rows) holds only "
                    + (positives == 0 ? "negative" : "positive") + " labels; widen the time range");
        }
    }

    private static List<String> refs(List<FeatureSpec> features) {
        return features.stream().map(FeatureSpec::ref).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> metricsOf(Map<String, Object> report) {
        Object candidate = report.get("candidate");
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (candidate instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v instanceof Number number) {
                    metrics.put(k.toString(), number.doubleValue());
                }
            });
        }
        return metrics;
    }
}
