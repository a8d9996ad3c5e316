package dev.sextant.training.pipeline;

import dev.sextant.training.TrainingProperties;
import dev.sextant.training.TrainingProperties.FeatureSpec;
import dev.sextant.training.dataset.Dataset;
import dev.sextant.training.dataset.DatasetBuilder;
import dev.sextant.training.dataset.DatasetBuilder.DatasetException;
import dev.sextant.training.dataset.Matrix;
import dev.sextant.training.evaluation.ChampionGate;
import dev.sextant.training.evaluation.OnnxScorer;
import dev.sextant.training.evaluation.UnscorableModelException;
import dev.sextant.training.job.JobSpec;
import dev.sextant.training.job.JobState;
import dev.sextant.training.job.TrainingJob;
import dev.sextant.training.registry.RegistryClient;
import dev.sextant.training.registry.RegistryClient.RegisteredVersion;
import dev.sextant.training.trainer.Hyperparameter;
import dev.sextant.training.trainer.TrainedModel;
import dev.sextant.training.trainer.Trainer;
import dev.sextant.training.trainer.Trainers;
import dev.sextant.training.trainer.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * One job's steps: dataset → training and ONNX export (checked against the trainer's own predictions) →
 * evaluation beside the champion → the gate → registration as challenger, or rejection with the evidence.
 */
@Component
public class TrainingPipeline {

    static final String CHAMPION = "champion";
    /** Largest difference between ONNX Runtime's and the trainer's score of a test row that passes the check. */
    static final double EXPORT_TOLERANCE = 1e-5;

    private final DatasetBuilder datasets;
    private final RegistryClient registry;
    private final Trainers trainers;
    private final Registration registration;
    private final Path jobsDirectory;
    private final int maxRows;

    TrainingPipeline(
            DatasetBuilder datasets,
            RegistryClient registry,
            Trainers trainers,
            Registration registration,
            TrainingProperties properties) {
        this.datasets = datasets;
        this.registry = registry;
        this.trainers = trainers;
        this.registration = registration;
        this.jobsDirectory = properties.dataDir().resolve("jobs");
        this.maxRows = properties.defaults().maxRows();
    }

    public Path workDirectory(String jobId) {
        return jobsDirectory.resolve(jobId);
    }

    public Outcome run(TrainingJob job, JobContext context) {
        JobSpec spec = job.spec();
        Map<String, Object> saved = context.savedReport();
        Optional<Integer> registered = registry.registeredBy(spec.model(), job.id());
        if (registered.isPresent() && saved != null) {
            context.log("version " + registered.get() + " was registered by an earlier run of this job");
            registration.alias(spec, job, registered.get());
            return new Outcome(registered.get(), metricsOf(saved), saved, "registered version " + registered.get());
        }

        context.progress(JobState.BUILDING_DATASET, "looking up the champion", 0.02);
        Optional<RegisteredVersion> champion = registry.aliased(spec.model(), CHAMPION);
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

        context.progress(JobState.TRAINING, "training " + spec.trainer(), 0.35);
        Trained trained = train(spec, dataset, split, context);
        context.checkCancelled();

        context.progress(JobState.EVALUATING, "checking the ONNX export and evaluating", 0.7);
        Scored candidate = checkExport(spec, dataset, split, trained, context);
        Evaluation evaluation = Evaluation.of(dataset, split, candidate.test(), candidate.validation());
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
                trained.sampling().indexes().length,
                trained.sampling().negativeRate(),
                spec,
                trained.hyperparameters(),
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
        int version =
                registration.register(job, dataset, split, candidate.rows(), candidate.test(), trained.onnx(), metrics);
        context.log("registered version " + version + " as " + spec.challengerAlias());
        return new Outcome(version, metrics, report, "registered version " + version);
    }

    /** The trained model, its ONNX form, the downsampling it learned under, and the settings it used. */
    private record Trained(
            TrainedModel model, byte[] onnx, Downsampling sampling, Map<String, Double> hyperparameters) {}

    /** The candidate's test rows and its ONNX Runtime scores on them and on the validation rows. */
    private record Scored(Matrix rows, float[] test, float[] validation, double difference) {}

    private Trained train(JobSpec spec, Dataset dataset, Dataset.Split split, JobContext context) {
        Trainer trainer = trainers.find(spec.trainer()).orElseThrow();
        Map<String, Double> hyperparameters = Hyperparameter.defaults(trainer.hyperparameters());
        hyperparameters.putAll(spec.hyperparameters());
        boolean[] trainLabels = dataset.labels(0, split.validationStart());
        Downsampling sampling = Downsampling.of(
                trainLabels, spec.targetPositiveRate(), Math.round(hyperparameters.getOrDefault("seed", 1.0)));
        Matrix trainRows = dataset.matrix(spec.features(), 0, split.validationStart());
        boolean[] sampledLabels = new boolean[sampling.indexes().length];
        for (int i = 0; i < sampledLabels.length; i++) {
            sampledLabels[i] = trainLabels[sampling.indexes()[i]];
        }
        context.log(String.format(
                "negatives kept at rate %.4f: %d of %d training rows",
                sampling.negativeRate(), sampledLabels.length, trainLabels.length));
        TrainingData.Rows validation = new TrainingData.Rows(
                dataset.matrix(spec.features(), split.validationStart(), split.testStart()),
                dataset.labels(split.validationStart(), split.testStart()));
        TrainedModel model = trainer.train(
                new TrainingData(
                        trainRows.select(sampling.indexes()),
                        sampledLabels,
                        sampling.negativeRate(),
                        spec.model(),
                        validation),
                hyperparameters);
        context.log("trained " + model.describe());
        return new Trained(model, model.onnx(), sampling, hyperparameters);
    }

    /** Scores the test rows with ONNX Runtime and fails the job if the trainer's own scores differ. */
    private static Scored checkExport(
            JobSpec spec, Dataset dataset, Dataset.Split split, Trained trained, JobContext context) {
        Matrix test = dataset.matrix(spec.features(), split.testStart(), split.rows());
        Matrix validation = dataset.matrix(spec.features(), split.validationStart(), split.testStart());
        float[] scores;
        float[] validationScores;
        try (OnnxScorer scorer = new OnnxScorer(trained.onnx())) {
            scores = scorer.score(test);
            validationScores = scorer.score(validation);
        }
        Matrix probes = trained.model().probes(test);
        double testDifference = maxAbsDifference(scores, trained.model().predict(test));
        double probeDifference = 0;
        if (probes.rows() > 0) {
            try (OnnxScorer scorer = new OnnxScorer(trained.onnx())) {
                probeDifference =
                        maxAbsDifference(scorer.score(probes), trained.model().predict(probes));
            }
        }
        double difference = Math.max(testDifference, probeDifference);
        context.log(String.format(
                "ONNX Runtime vs %s on %d test rows: max abs difference %.3g%s",
                spec.trainer(),
                scores.length,
                testDifference,
                probes.rows() == 0
                        ? ""
                        : String.format(
                                "; on %d probe rows (values on split thresholds, missing values): %.3g",
                                probes.rows(), probeDifference)));
        if (!(difference <= EXPORT_TOLERANCE)) {
            throw new IllegalStateException(String.format(
                    "the ONNX export scores differently from the trained model: max abs difference %.3g > %.0e",
                    difference, EXPORT_TOLERANCE));
        }
        return new Scored(test, scores, validationScores, difference);
    }

    /** The champion on the same rows, with its own binding: its version and metrics, or why it cannot be scored. */
    private static Map<String, Object> scoreChampion(
            RegisteredVersion champion, Dataset dataset, Dataset.Split split, JobContext context) {
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

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
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
