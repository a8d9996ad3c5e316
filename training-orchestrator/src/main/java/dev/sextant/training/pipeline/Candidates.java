package dev.sextant.training.pipeline;

import dev.sextant.training.TrainingProperties.Alternative;
import dev.sextant.training.dataset.Dataset;
import dev.sextant.training.dataset.Matrix;
import dev.sextant.training.evaluation.BinaryMetrics;
import dev.sextant.training.evaluation.OnnxScorer;
import dev.sextant.training.job.JobSpec;
import dev.sextant.training.job.JobState;
import dev.sextant.training.trainer.Hyperparameter;
import dev.sextant.training.trainer.TrainedModel;
import dev.sextant.training.trainer.Trainer;
import dev.sextant.training.trainer.Trainers;
import dev.sextant.training.trainer.TrainingData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's trainers on the same rows: each is trained on the (downsampled) training split, its ONNX export is
 * checked against its own scoring on the test rows and its probe rows, and it is scored on the validation and test
 * splits; the best on the validation split by the gate's metric is the candidate (the job's own trainer on a tie).
 * The test split only reports: it decides nothing here, so it stays an unbiased estimate for the gate.
 */
final class Candidates {

    /** Largest difference between ONNX Runtime's and the trainer's score of a row that passes the export check. */
    static final double EXPORT_TOLERANCE = 1e-5;

    private Candidates() {}

    /** One trained candidate: its model and ONNX form, its sampling, settings and scores. */
    record Candidate(
            String trainer,
            TrainedModel model,
            byte[] onnx,
            Downsampling sampling,
            Map<String, Double> hyperparameters,
            Matrix testRows,
            float[] test,
            double difference,
            Evaluation evaluation,
            Map<String, Double> validationMetrics) {}

    /**
     * @param chosen the candidate
     * @param report every candidate's trainer, settings, model, validation and test metrics, and whether it won
     */
    record Selection(Candidate chosen, List<Map<String, Object>> report) {}

    static Selection train(Trainers trainers, JobSpec spec, Dataset dataset, Dataset.Split split, JobContext context) {
        List<Alternative> alternatives = spec.candidates();
        TrainingData.Rows training = new TrainingData.Rows(
                dataset.matrix(spec.features(), 0, split.validationStart()),
                dataset.labels(0, split.validationStart()));
        Matrix test = dataset.matrix(spec.features(), split.testStart(), split.rows());
        TrainingData.Rows validation = new TrainingData.Rows(
                dataset.matrix(spec.features(), split.validationStart(), split.testStart()),
                dataset.labels(split.validationStart(), split.testStart()));
        String metric = spec.gate().metric();
        List<Candidate> candidates = new ArrayList<>();
        Candidate best = null;
        for (int i = 0; i < alternatives.size(); i++) {
            Alternative alternative = alternatives.get(i);
            context.progress(
                    JobState.TRAINING,
                    "training " + alternative.trainer()
                            + (alternatives.size() > 1 ? " (" + (i + 1) + " of " + alternatives.size() + ")" : ""),
                    0.35 + 0.35 * i / alternatives.size());
            Candidate candidate =
                    candidate(trainers, alternative, spec, dataset, split, training, test, validation, context);
            candidates.add(candidate);
            if (best == null || better(metric, candidate.validationMetrics(), best.validationMetrics())) {
                best = candidate;
            }
            context.checkCancelled();
        }
        List<Map<String, Object>> report = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("trainer", candidate.trainer());
            entry.put("hyperparameters", candidate.hyperparameters());
            entry.put("model", candidate.model().describe());
            entry.put("validation", candidate.validationMetrics());
            entry.put("test", candidate.evaluation().metrics());
            entry.put("onnx_max_abs_difference", candidate.difference());
            entry.put("chosen", candidate == best);
            report.add(entry);
        }
        if (candidates.size() > 1) {
            context.log(String.format(
                    "%s is the candidate: best validation %s (%s)",
                    best.trainer(),
                    metric,
                    String.join(
                            ", ",
                            candidates.stream()
                                    .map(c -> String.format(
                                            "%s %.4f",
                                            c.trainer(), c.validationMetrics().get(metric)))
                                    .toList())));
        }
        return new Selection(best, report);
    }

    private static Candidate candidate(
            Trainers trainers,
            Alternative alternative,
            JobSpec spec,
            Dataset dataset,
            Dataset.Split split,
            TrainingData.Rows training,
            Matrix test,
            TrainingData.Rows validation,
            JobContext context) {
        Trainer trainer = trainers.find(alternative.trainer()).orElseThrow();
        Map<String, Double> hyperparameters = Hyperparameter.defaults(trainer.hyperparameters());
        hyperparameters.putAll(alternative.hyperparameters());
        boolean[] trainLabels = training.labels();
        Downsampling sampling = Downsampling.of(
                trainLabels, spec.targetPositiveRate(), Math.round(hyperparameters.getOrDefault("seed", 1.0)));
        boolean[] sampledLabels = new boolean[sampling.indexes().length];
        for (int i = 0; i < sampledLabels.length; i++) {
            sampledLabels[i] = trainLabels[sampling.indexes()[i]];
        }
        context.log(String.format(
                "%s: negatives kept at rate %.4f: %d of %d training rows",
                trainer.name(), sampling.negativeRate(), sampledLabels.length, trainLabels.length));
        TrainedModel model = trainer.train(
                new TrainingData(
                        training.features().select(sampling.indexes()),
                        sampledLabels,
                        sampling.negativeRate(),
                        spec.model(),
                        validation),
                hyperparameters);
        context.log("trained " + model.describe());
        byte[] onnx = model.onnx();
        float[] scores;
        float[] validationScores;
        double probeDifference = 0;
        Matrix probes = model.probes(test);
        try (OnnxScorer scorer = new OnnxScorer(onnx)) {
            scores = scorer.score(test);
            validationScores = scorer.score(validation.features());
            if (probes.rows() > 0) {
                probeDifference = maxAbsDifference(scorer.score(probes), model.predict(probes));
            }
        }
        double testDifference = maxAbsDifference(scores, model.predict(test));
        double difference = Math.max(testDifference, probeDifference);
        context.log(String.format(
                "ONNX Runtime vs %s on %d test rows: max abs difference %.3g%s",
                trainer.name(),
                scores.length,
                testDifference,
                probes.rows() == 0
                        ? ""
                        : String.format(
                                "; on %d probe rows (values on split thresholds, missing values): %.3g",
                                probes.rows(), probeDifference)));
        if (!(difference <= EXPORT_TOLERANCE)) {
            throw new IllegalStateException(String.format(
                    "the ONNX export of %s scores differently from the trained model: max abs difference %.3g > %.0e",
                    trainer.name(), difference, EXPORT_TOLERANCE));
        }
        boolean[] validationLabels = validation.labels();
        Map<String, Double> validationMetrics = BinaryMetrics.of(
                validationLabels, validationScores, BinaryMetrics.bestF1Threshold(validationLabels, validationScores));
        context.log(String.format(
                "%s on the validation split: roc_auc %.4f, pr_auc %.4f",
                trainer.name(),
                validationMetrics.getOrDefault("roc_auc", Double.NaN),
                validationMetrics.getOrDefault("pr_auc", Double.NaN)));
        return new Candidate(
                trainer.name(),
                model,
                onnx,
                sampling,
                hyperparameters,
                test,
                scores,
                difference,
                Evaluation.of(dataset, split, scores, validationScores),
                validationMetrics);
    }

    /** Whether {@code mine} beats {@code theirs} on the metric (a metric one of them lacks never wins). */
    private static boolean better(String metric, Map<String, Double> mine, Map<String, Double> theirs) {
        Double a = mine.get(metric);
        Double b = theirs.get(metric);
        if (a == null || a.isNaN()) {
            return false;
        }
        if (b == null || b.isNaN()) {
            return true;
        }
        return BinaryMetrics.lowerIsBetter(metric) ? a < b : a > b;
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
