package dev.sextant.training.trainer.xgboost;

import dev.sextant.training.dataset.Matrix;
import dev.sextant.training.trainer.TrainedModel;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
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
    @Override
    public Matrix probes(Matrix test) {
        if (test.rows() == 0) {
            return test;
        }
        Set<Long> splits = new LinkedHashSet<>();
        for (BoosterModel.Tree tree : booster.trees()) {
            for (int node : tree.reachable()) {
                if (!tree.isLeaf(node) && splits.size() < MAX_PROBES / 2) {
                    splits.add(((long) tree.splitIndex()[node] << 32)
                            | (Float.floatToRawIntBits(tree.threshold()[node]) & 0xFFFFFFFFL));
                }
            }
        }
        int columns = test.columns();
        float[] rows = new float[splits.size() * 2 * columns];
        int row = 0;
        for (long split : splits) {
            int feature = (int) (split >>> 32);
            float threshold = Float.intBitsToFloat((int) split);
            for (float value : new float[] {threshold, Float.NaN}) {
                System.arraycopy(test.values(), (row % test.rows()) * columns, rows, row * columns, columns);
                rows[row * columns + feature] = value;
                row++;
            }
        }
        return new Matrix(rows, row, columns);
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
        return NAME + ": " + booster.trees().size() + " trees of depth up to " + depth + " on " + booster.features()
                + " columns (XGBoost " + booster.version() + ")" + stopping;
    }

    private static final String NAME = XGBoostTrainer.NAME;

    private static int depth(BoosterModel.Tree tree, int node) {
        return tree.isLeaf(node) ? 0 : 1 + Math.max(depth(tree, tree.left()[node]), depth(tree, tree.right()[node]));
    }
}
