package dev.sextant.training.trainer.xgboost;

import dev.sextant.training.dataset.Matrix;
import dev.sextant.training.trainer.TrainedModel;
import dev.sextant.xgboost.onnx.BoosterModel;
import dev.sextant.xgboost.onnx.Probes;
import dev.sextant.xgboost.onnx.TreeEnsembleExport;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A trained booster: its JSON model is the native model kept as lineage, the source of the ONNX graph, and what
 * XGBoost itself scores rows with (loaded afresh for each scoring, so no native booster outlives a call).
 */
final class XGBoostModel implements TrainedModel {

    /** Largest number of rows {@link #probes} adds to the test rows. */
    static final int MAX_PROBES = 4_096;

    private final byte[] json;
    private final BoosterModel booster;
    private final double priorShift;
    private final String modelName;
    private final String stopping;

    /**
     * @param json the booster's JSON model
     * @param priorShift added to every margin before the sigmoid, undoing the training prior's shift
     */
    XGBoostModel(byte[] json, double priorShift, String modelName, String stopping) {
        this.json = json;
        this.booster = BoosterModel.parse(json);
        this.priorShift = priorShift;
        this.modelName = modelName;
        this.stopping = stopping;
    }

    @Override
    public byte[] onnx() {
        return TreeEnsembleExport.onnx(booster, priorShift, modelName, describe());
    }

    @Override
    public float[] predict(Matrix x) {
        float[][] margins;
        try {
            Booster loaded = XGBoost.loadModel(json);
            try {
                margins = loaded.inplace_predict(
                        x.values(),
                        x.rows(),
                        x.columns(),
                        Float.NaN,
                        new int[] {0, 0},
                        Booster.PredictionType.kMargin,
                        null);
            } finally {
                loaded.dispose();
            }
        } catch (XGBoostError | java.io.IOException e) {
            throw new IllegalStateException("XGBoost failed to score: " + e.getMessage(), e);
        }
        float[] scores = new float[x.rows()];
        for (int r = 0; r < scores.length; r++) {
            scores[r] = (float) (1 / (1 + Math.exp(-(margins[r][0] + priorShift))));
        }
        return scores;
    }

    /**
     * Rows where an export most often goes wrong, built from the test rows: each split's feature set exactly to
     * its threshold (a value on the threshold goes right), and the same feature missing (it goes the learned way).
     */
    /**
     * Rows where an export most often goes wrong, built from the test rows: each split's feature set exactly to
     * its threshold (a value on the threshold goes right), and the same feature missing (it goes the learned way).
     */
    @Override
    public Matrix probes(Matrix test) {
        float[] rows = Probes.of(booster, test.values(), test.columns(), MAX_PROBES);
        return new Matrix(rows, rows.length / test.columns(), test.columns());
    }

    @Override
    public Optional<NativeModel> nativeModel() {
        return Optional.of(new NativeModel("xgboost-json", "json", json));
    }

    @Override
    public String describe() {
        int depth = 0;
        for (BoosterModel.Tree tree : booster.trees()) {
            depth = Math.max(depth, depth(tree, 0));
        }
        return XGBoostTrainer.NAME + ": " + booster.trees().size() + " trees of depth up to " + depth + " on "
                + booster.features() + " columns (XGBoost " + booster.version() + ")" + stopping;
    }

    private static int depth(BoosterModel.Tree tree, int node) {
        return tree.isLeaf(node) ? 0 : 1 + Math.max(depth(tree, tree.left()[node]), depth(tree, tree.right()[node]));
    }
}
