package dev.sextant.training.trainer.xgboost;

import dev.sextant.training.dataset.Matrix;
import dev.sextant.training.trainer.Hyperparameter;
import dev.sextant.training.trainer.TrainedModel;
import dev.sextant.training.trainer.Trainer;
import dev.sextant.training.trainer.TrainingData;
import dev.sextant.xgboost.onnx.BoosterModel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees with XGBoost ({@code binary:logistic}, the {@code hist} tree method), exported to ONNX by
 * {@link dev.sextant.xgboost.onnx.TreeEnsembleExport}. Missing values (NaN) are missing to XGBoost, which learns a direction for them at
 * every split; zeros are values. With a validation split, boosting stops once the validation log loss has not
 * improved for {@code early_stopping_rounds} rounds, and the model keeps the rounds up to its best one.
 *
 * <p>The validation rows are not downsampled, the training rows are: their log loss is measured on the scores the
 * model will serve, with the training prior undone (each validation row's base margin is the model's plus {@code
 * ln(r / w)}, see {@link XGBoostModel}). Log loss, smooth and sensitive to calibration, stops more steadily on a few
 * hundred positives than a ranking metric, whose steps on small validation splits end boosting after a few trees.
 */
public final class XGBoostTrainer implements Trainer {

    public static final String NAME = "xgboost";
    private static final String METRIC = "logloss";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Hyperparameter> hyperparameters() {
        // XGBoost's own names, as its users know them; the bounds keep one job within one orchestrator.
        Map<String, Hyperparameter> settings = new LinkedHashMap<>();
        settings.put("num_boost_round", Hyperparameter.count(300, 1, 5_000));
        settings.put("max_depth", Hyperparameter.count(6, 1, 16));
        settings.put("learning_rate", Hyperparameter.real(0.1, 1e-4, 1));
        settings.put("subsample", Hyperparameter.real(1, 0.05, 1));
        settings.put("colsample_bytree", Hyperparameter.real(1, 0.05, 1));
        settings.put("min_child_weight", Hyperparameter.real(1, 0, 1e6));
        settings.put("lambda", Hyperparameter.real(1, 0, 1e6));
        settings.put("alpha", Hyperparameter.real(0, 0, 1e6));
        settings.put("scale_pos_weight", Hyperparameter.real(1, 1e-3, 1e6));
        settings.put("max_bin", Hyperparameter.count(256, 2, 4_096));
        settings.put("early_stopping_rounds", Hyperparameter.count(20, 0, 1_000));
        settings.put("seed", Hyperparameter.count(12345, 0, Integer.MAX_VALUE));
        return settings;
    }

    @Override
    public TrainedModel train(TrainingData data, Map<String, Double> hyperparameters) {
        int rounds = (int) Math.round(hyperparameters.get("num_boost_round"));
        int patience = (int) Math.round(hyperparameters.get("early_stopping_rounds"));
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("objective", "binary:logistic");
        parameters.put("tree_method", "hist");
        parameters.put("eval_metric", METRIC);
        parameters.put("max_depth", (int) Math.round(hyperparameters.get("max_depth")));
        parameters.put("eta", hyperparameters.get("learning_rate"));
        parameters.put("subsample", hyperparameters.get("subsample"));
        parameters.put("colsample_bytree", hyperparameters.get("colsample_bytree"));
        parameters.put("min_child_weight", hyperparameters.get("min_child_weight"));
        parameters.put("lambda", hyperparameters.get("lambda"));
        parameters.put("alpha", hyperparameters.get("alpha"));
        parameters.put("scale_pos_weight", hyperparameters.get("scale_pos_weight"));
        parameters.put("max_bin", (int) Math.round(hyperparameters.get("max_bin")));
        parameters.put("seed", Math.round(hyperparameters.get("seed")));
        parameters.put("nthread", Runtime.getRuntime().availableProcessors());
        parameters.put("verbosity", 0);
        // The base score is the training rows' positive share, set here (not estimated by XGBoost) so that the
        // validation rows' base margins can carry it with the prior's correction.
        float baseScore = positiveShare(data.labels());
        parameters.put("base_score", baseScore);
        // Both shift the prior the trees learn under: downsampling divides the negatives' odds by the kept rate,
        // scale_pos_weight multiplies the positives' by the weight. Undone in margin space at scoring.
        double priorShift = Math.log(data.negativeRate() / hyperparameters.get("scale_pos_weight"));
        DMatrix train = null;
        DMatrix validation = null;
        Booster booster = null;
        try {
            train = matrix(data.features(), data.labels());
            boolean stopsEarly = patience > 0 && data.validation() != null;
            validation = stopsEarly
                    ? matrix(data.validation().features(), data.validation().labels())
                    : null;
            if (validation != null) {
                float[] margins = new float[data.validation().labels().length];
                Arrays.fill(margins, (float) (Math.log(baseScore / (1.0 - baseScore)) + priorShift));
                validation.setBaseMargin(margins);
            }
            // Zero rounds: a booster with the parameters and the caches, boosted one round at a time below.
            booster = XGBoost.train(train, parameters, 0, Map.of(), null, null, null, 0);
            float best = Float.POSITIVE_INFINITY;
            int bestRound = rounds - 1;
            float[] metric = new float[1];
            for (int round = 0; round < rounds; round++) {
                booster.update(train, round);
                if (!stopsEarly) {
                    continue;
                }
                booster.evalSet(new DMatrix[] {validation}, new String[] {"validation"}, round, metric);
                if (metric[0] < best) {
                    best = metric[0];
                    bestRound = round;
                } else if (round - bestRound >= patience) {
                    break;
                }
            }
            int boosted = booster.getNumBoostedRound();
            byte[] json = BoosterModel.firstIterations(booster.toByteArray("json"), bestRound + 1);
            String stopping = stopsEarly
                    ? String.format(
                            ", best validation log loss %.5f at round %d of %d boosted", best, bestRound + 1, boosted)
                    : "";
            return new XGBoostModel(json, priorShift, data.modelName(), stopping);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to train: " + e.getMessage(), e);
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            if (validation != null) {
                validation.dispose();
            }
            if (train != null) {
                train.dispose();
            }
        }
    }

    /** The share of positives, kept inside (0, 1): a base score of 0 or 1 has no margin. */
    private static float positiveShare(boolean[] labels) {
        int positives = 0;
        for (boolean label : labels) {
            positives += label ? 1 : 0;
        }
        double share = (double) positives / Math.max(1, labels.length);
        return (float) Math.min(1 - 1e-6, Math.max(1e-6, share));
    }

    /** Rows as XGBoost's matrix: NaN is missing, every other value (zero included) is a value. */
    static DMatrix matrix(Matrix x, boolean[] labels) throws XGBoostError {
        DMatrix matrix = new DMatrix(x.values(), x.rows(), x.columns(), Float.NaN);
        float[] y = new float[labels.length];
        for (int r = 0; r < y.length; r++) {
            y[r] = labels[r] ? 1f : 0f;
        }
        matrix.setLabel(y);
        return matrix;
    }
}
