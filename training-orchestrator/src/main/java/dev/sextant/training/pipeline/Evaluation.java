package dev.sextant.training.pipeline;

import dev.sextant.training.dataset.Dataset;
import dev.sextant.training.evaluation.BinaryMetrics;
import dev.sextant.training.evaluation.ChampionGate;
import dev.sextant.training.job.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's evaluation on the test split: the operating threshold is the best-F1 threshold on the validation
 * split, the metrics are the test split's at that threshold, overall and for the largest segments.
 */
record Evaluation(Map<String, Double> metrics, Map<String, Map<String, Double>> segments) {

    static final int SEGMENTS = 10;

    static Evaluation of(Dataset dataset, Dataset.Split split, float[] testScores, float[] validationScores) {
        double threshold = BinaryMetrics.bestF1Threshold(
                dataset.labels(split.validationStart(), split.testStart()), validationScores);
        boolean[] labels = dataset.labels(split.testStart(), split.rows());
        Map<String, Double> metrics = BinaryMetrics.of(labels, testScores, threshold);
        Map<String, Map<String, Double>> segments = new LinkedHashMap<>();
        if (dataset.segments() != null) {
            Map<String, List<Integer>> rowsBySegment = new LinkedHashMap<>();
            for (int r = split.testStart(); r < split.rows(); r++) {
                rowsBySegment
                        .computeIfAbsent(dataset.segments()[r], s -> new ArrayList<>())
                        .add(r - split.testStart());
            }
            rowsBySegment.entrySet().stream()
                    .sorted((a, b) ->
                            Integer.compare(b.getValue().size(), a.getValue().size()))
                    .limit(SEGMENTS)
                    .forEach(entry -> {
                        List<Integer> rows = entry.getValue();
                        boolean[] segmentLabels = new boolean[rows.size()];
                        float[] segmentScores = new float[rows.size()];
                        for (int i = 0; i < rows.size(); i++) {
                            segmentLabels[i] = labels[rows.get(i)];
                            segmentScores[i] = testScores[rows.get(i)];
                        }
                        segments.put(entry.getKey(), BinaryMetrics.of(segmentLabels, segmentScores, threshold));
                    });
        }
        return new Evaluation(metrics, segments);
    }

    static Map<String, Object> report(
            Dataset dataset,
            Dataset.Split split,
            int sampledRows,
            double negativeRate,
            JobSpec spec,
            String trainer,
            Map<String, Double> hyperparameters,
            List<Map<String, Object>> candidates,
            Map<String, Double> metrics,
            Map<String, Map<String, Double>> segments,
            Map<String, Object> champion,
            ChampionGate.Decision decision) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rows", dataset.rows());
        data.put("from", spec.dataFrom().toString());
        data.put("to", spec.dataTo().toString());
        data.put("fingerprint", dataset.fingerprint());
        data.put("training_rows", split.validationStart());
        data.put("training_rows_after_downsampling", sampledRows);
        data.put("negative_keep_rate", negativeRate);
        data.put("validation_rows", split.testStart() - split.validationStart());
        data.put("test_rows", split.rows() - split.testStart());
        data.put("validation_starts_at", instant(dataset, split.validationStart()));
        data.put("test_starts_at", instant(dataset, split.testStart()));
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("metric", spec.gate().metric());
        gate.put("min_improvement", spec.gate().minImprovement());
        gate.put("floors", spec.gate().floors());
        gate.put("passed", decision.passed());
        gate.put("reasons", decision.reasons());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dataset", data);
        report.put("trainer", Map.of("name", trainer, "hyperparameters", hyperparameters));
        report.put("candidates", candidates);
        report.put("candidate", metrics);
        report.put("champion", champion);
        report.put("segment_by", spec.segmentBy());
        report.put("segments", segments);
        report.put("gate", gate);
        return report;
    }

    private static String instant(Dataset dataset, int row) {
        return row < dataset.rows()
                ? java.time.Instant.ofEpochMilli(dataset.eventTimes()[row]).toString()
                : null;
    }
}
