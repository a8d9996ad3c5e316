package dev.sextant.training.trainer.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testsupport.SyntheticRows;
import dev.sextant.training.dataset.Matrix;
import dev.sextant.training.evaluation.OnnxScorer;
import dev.sextant.training.trainer.Hyperparameter;
import dev.sextant.training.trainer.TrainedModel;
import dev.sextant.training.trainer.TrainingData;
import dev.sextant.xgboost.onnx.BoosterModel;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.evaluation.LabelEvaluationUtil;

class XGBoostTrainerTest {

    private final XGBoostTrainer trainer = new XGBoostTrainer();

    @Test
    void stopsEarlyOnTheValidationRowsAndExportsWhatItKept() throws Exception {
        Data train = data(20_000, 6, 0.1, 1);
        Data validation = data(5_000, 6, 0.1, 2);
        Data test = data(5_000, 6, 0.1, 3);
        Map<String, Double> settings = Hyperparameter.defaults(trainer.hyperparameters());
        settings.put("num_boost_round", 2_000.0);
        settings.put("early_stopping_rounds", 10.0);
        settings.put("learning_rate", 0.3);

        TrainedModel model = trainer.train(
                new TrainingData(
                        train.x(),
                        train.labels(),
                        1,
                        "fraud-detector",
                        new TrainingData.Rows(validation.x(), validation.labels())),
                settings);

        int trees = BoosterModel.parse(model.nativeModel().orElseThrow().bytes())
                .trees()
                .size();
        assertThat(trees).isBetween(1, 1_990);
        assertThat(model.describe()).contains(trees + " trees").contains("best validation log loss");
        Matrix probes = model.probes(test.x());
        try (OnnxScorer scorer = new OnnxScorer(model.onnx())) {
            float[] scores = scorer.score(test.x());
            assertThat(maxDifference(scores, model.predict(test.x()))).isLessThanOrEqualTo(1e-5);
            assertThat(maxDifference(scorer.score(probes), model.predict(probes)))
                    .isLessThanOrEqualTo(1e-5);
            assertThat(auc(test.labels(), scores)).isGreaterThan(0.75);
        }
        // The native model is XGBoost's own: it loads, and holds the kept rounds only.
        Booster loaded = XGBoost.loadModel(model.nativeModel().orElseThrow().bytes());
        assertThat(loaded.getNumBoostedRound()).isEqualTo(trees);
        loaded.dispose();
    }

    @Test
    void undoesTheDownsampledNegativesInItsProbabilities() {
        Data train = data(40_000, 4, 0.1, 4);
        Data test = data(20_000, 4, 0.1, 5);
        // A fifth of the negatives kept, as a job's downsampling does.
        double rate = 0.2;
        java.util.Random random = new java.util.Random(7);
        int[] kept = java.util.stream.IntStream.range(0, train.labels().length)
                .filter(r -> train.labels()[r] || random.nextDouble() < rate)
                .toArray();
        boolean[] labels = new boolean[kept.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = train.labels()[kept[i]];
        }
        Map<String, Double> settings = Hyperparameter.defaults(trainer.hyperparameters());
        settings.put("num_boost_round", 50.0);

        TrainedModel model =
                trainer.train(new TrainingData(train.x().select(kept), labels, rate, "fraud-detector"), settings);

        double positives = 0;
        double predicted = 0;
        try (OnnxScorer scorer = new OnnxScorer(model.onnx())) {
            float[] scores = scorer.score(test.x());
            for (int r = 0; r < scores.length; r++) {
                positives += test.labels()[r] ? 1 : 0;
                predicted += scores[r];
            }
        }
        // Calibrated to the real prior: the mean probability is the positive rate, not the downsampled one.
        assertThat(predicted / positives).isBetween(0.9, 1.1);
    }

    record Data(Matrix x, boolean[] labels) {}

    static Data data(int rows, int features, double missing, long seed) {
        SyntheticRows drawn = SyntheticRows.draw(rows, features, missing, seed);
        return new Data(new Matrix(drawn.values(), drawn.rows(), drawn.columns()), drawn.labels());
    }

    static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double auc(boolean[] labels, float[] scores) {
        double[] values = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            values[i] = scores[i];
        }
        return LabelEvaluationUtil.binaryAUCROC(labels, values);
    }
}
