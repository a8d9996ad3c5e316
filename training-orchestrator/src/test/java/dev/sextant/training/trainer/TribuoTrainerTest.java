package dev.sextant.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.training.dataset.Matrix;
import dev.sextant.training.evaluation.OnnxScorer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tribuo.classification.evaluation.LabelEvaluationUtil;

class TribuoTrainerTest {

    /**
     * Rare positives driven by a linear score on columns of very different scales, plus a noise column and a
     * constant one (a feature the feature store never had: its default everywhere).
     */
    static Object[] data(int rows, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * 4];
        boolean[] labels = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            double amount = Math.exp(random.nextGaussian() + 4); // ~ 50, long tail
            double count = random.nextInt(20);
            double noise = random.nextGaussian();
            values[r * 4] = (float) amount;
            values[r * 4 + 1] = (float) count;
            values[r * 4 + 2] = (float) noise;
            values[r * 4 + 3] = 7f;
            double logit = -5 + 0.01 * amount + 0.15 * count;
            labels[r] = random.nextDouble() < 1 / (1 + Math.exp(-logit));
        }
        return new Object[] {new Matrix(values, rows, 4), labels};
    }

    @ParameterizedTest
    @EnumSource(TribuoTrainer.Kind.class)
    void exportedOnnxScoresLikeTheTrainerAndSeparatesTheClasses(TribuoTrainer.Kind kind) {
        Object[] train = data(20_000, 1);
        Object[] test = data(5_000, 2);
        TribuoTrainer trainer = new TribuoTrainer(kind);
        TrainedModel model = trainer.train(
                new TrainingData((Matrix) train[0], (boolean[]) train[1], 0.5, "fraud-detector"),
                Hyperparameter.defaults(trainer.hyperparameters()));

        float[] own = model.predict((Matrix) test[0]);
        float[] onnx;
        try (OnnxScorer scorer = new OnnxScorer(model.onnx())) {
            onnx = scorer.score((Matrix) test[0]);
        }
        double maxDifference = 0;
        double[] scores = new double[onnx.length];
        for (int i = 0; i < onnx.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(own[i] - onnx[i]));
            scores[i] = onnx[i];
        }
        assertThat(maxDifference).isLessThan(1e-5);
        assertThat(LabelEvaluationUtil.binaryAUCROC((boolean[]) test[1], scores))
                .isGreaterThan(0.75);
    }
}
