package dev.sextant.xgboost.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sextant.testsupport.SyntheticRows;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The converter on its own, independent of training jobs: boosters trained here by xgboost4j with random shapes
 * (depths 1 to 10, up to 500 trees, one to many features, missing values, base scores other than 0.5, early
 * stopping) are exported, and ONNX Runtime must score like XGBoost itself on random rows, rows with missing
 * values and rows exactly on the split thresholds.
 */
class TreeEnsembleExportTest {

    static final double TOLERANCE = 1e-5;

    /** A booster's shape: how many columns, rounds, how deep, how many values are missing, its base score. */
    record Shape(
            String name,
            int features,
            int rounds,
            int depth,
            double missing,
            Double baseScore,
            int earlyStopping,
            String objective,
            long seed) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> shapes() {
        Random random = new Random(20261207);
        Stream<Shape> fixed = Stream.of(
                new Shape("stumps", 5, 50, 1, 0, null, 0, "binary:logistic", 1),
                new Shape("one feature", 1, 40, 4, 0.2, null, 0, "binary:logistic", 2),
                new Shape("many features", 60, 60, 6, 0.1, null, 0, "binary:logistic", 3),
                new Shape("500 trees, depth 10", 8, 500, 10, 0.05, null, 0, "binary:logistic", 4),
                new Shape("base score 0.9", 6, 80, 5, 0.1, 0.9, 0, "binary:logistic", 5),
                new Shape("base score 0.02", 6, 80, 5, 0.1, 0.02, 0, "binary:logistic", 6),
                new Shape("mostly missing", 6, 80, 6, 0.7, null, 0, "binary:logistic", 7),
                new Shape("early stopped", 6, 400, 6, 0.1, null, 5, "binary:logistic", 8),
                new Shape("reg:logistic", 6, 60, 5, 0.1, null, 0, "reg:logistic", 9));
        Stream<Shape> randomShapes = IntStream.range(0, 8)
                .mapToObj(i -> new Shape(
                        "random " + i,
                        1 + random.nextInt(30),
                        1 + random.nextInt(300),
                        1 + random.nextInt(10),
                        random.nextDouble() * 0.4,
                        random.nextBoolean() ? null : 0.05 + random.nextDouble() * 0.9,
                        random.nextBoolean() ? 0 : 1 + random.nextInt(10),
                        "binary:logistic",
                        100 + i));
        return Stream.concat(fixed, randomShapes).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void onnxRuntimeScoresLikeXgboost(Shape shape) throws Exception {
        Data train = data(3_000, shape.features(), shape.missing(), shape.seed());
        Data rows = data(2_000, shape.features(), shape.missing(), shape.seed() + 1_000);
        byte[] json = train(shape, train, rows);
        // A margin shift, as the downsampling correction of a training job adds.
        double shift = Math.log(0.3);
        BoosterModel booster = BoosterModel.parse(json);
        Matrix probes = new Matrix(Probes.of(booster, rows.x().values(), shape.features(), 4_096), shape.features());

        assertThat(probes.rows()).isPositive();
        try (OrtSession session = OrtEnvironment.getEnvironment()
                .createSession(TreeEnsembleExport.onnx(booster, shift, "fraud-detector", "test"))) {
            for (Matrix x : List.of(rows.x(), probes, allMissing(shape.features()))) {
                assertThat(maxDifference(onnxRuntime(session, x), xgboost(json, shift, x)))
                        .as("%s on %d rows", shape, x.rows())
                        .isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    @Test
    void keepsOnlyTheRoundsUpToTheBestOneAfterEarlyStopping() throws Exception {
        Shape shape = new Shape("truncated", 4, 30, 3, 0.1, null, 0, "binary:logistic", 11);
        Data train = data(2_000, 4, 0.1, 11);
        byte[] json = train(shape, train, train);

        byte[] first10 = BoosterModel.firstIterations(json, 10);

        assertThat(BoosterModel.parse(json).trees()).hasSize(30);
        assertThat(BoosterModel.parse(first10).trees()).hasSize(10);
        // XGBoost loads the truncated model and scores as the full one does with only its first 10 rounds.
        Booster full = XGBoost.loadModel(json);
        Booster truncated = XGBoost.loadModel(first10);
        float[][] expected = full.inplace_predict(
                train.x().values(), 2_000, 4, Float.NaN, new int[] {0, 10}, Booster.PredictionType.kValue, null);
        float[][] actual = truncated.inplace_predict(train.x().values(), 2_000, 4, Float.NaN);
        for (int r = 0; r < 2_000; r++) {
            assertThat(actual[r][0]).isEqualTo(expected[r][0]);
        }
        full.dispose();
        truncated.dispose();
    }

    @Test
    void refusesWhatItCannotExportByName() throws XGBoostError {
        Data train = data(500, 3, 0.1, 12);
        for (String objective : List.of("reg:squarederror", "binary:hinge", "binary:logitraw")) {
            byte[] json = train(new Shape(objective, 3, 5, 3, 0.1, null, 0, objective, 12), train, train);
            assertThatThrownBy(() -> BoosterModel.parse(json))
                    .isInstanceOf(UnsupportedBoosterException.class)
                    .hasMessageContaining("objective '" + objective + "' is not exported")
                    .hasMessageContaining("binary:logistic");
        }
        String gbtree = new String(
                train(new Shape("gbtree", 3, 5, 3, 0.1, null, 0, "binary:logistic", 12), train, train),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(gbtree).contains("\"name\":\"gbtree\"");
        byte[] dartJson =
                gbtree.replace("\"name\":\"gbtree\"", "\"name\":\"dart\"").getBytes();
        assertThatThrownBy(() -> BoosterModel.parse(dartJson))
                .isInstanceOf(UnsupportedBoosterException.class)
                .hasMessageContaining("booster 'dart' is not exported");
        assertThatThrownBy(() -> BoosterModel.parse("{not json".getBytes()))
                .isInstanceOf(UnsupportedBoosterException.class)
                .hasMessageContaining("not readable");
    }

    /** Row-major rows. */
    record Matrix(float[] values, int columns) {
        int rows() {
            return values.length / columns;
        }
    }

    record Data(Matrix x, boolean[] labels) {}

    /** XGBoost's own probability of each row, with the margin shifted as the export shifts it. */
    static float[] xgboost(byte[] json, double shift, Matrix x) throws Exception {
        Booster booster = XGBoost.loadModel(json);
        float[][] margins = booster.inplace_predict(
                x.values(), x.rows(), x.columns(), Float.NaN, new int[] {0, 0}, Booster.PredictionType.kMargin, null);
        booster.dispose();
        float[] scores = new float[x.rows()];
        for (int r = 0; r < scores.length; r++) {
            scores[r] = (float) (1 / (1 + Math.exp(-(margins[r][0] + shift))));
        }
        return scores;
    }

    static float[] onnxRuntime(OrtSession session, Matrix x) throws Exception {
        try (OnnxTensor input = OnnxTensor.createTensor(
                        OrtEnvironment.getEnvironment(), FloatBuffer.wrap(x.values()), new long[] {x.rows(), x.columns()
                        });
                OrtSession.Result result = session.run(Map.of(TreeEnsembleExport.INPUT, input))) {
            float[][] probabilities = (float[][]) result.get(0).getValue();
            float[] scores = new float[x.rows()];
            for (int r = 0; r < scores.length; r++) {
                scores[r] = probabilities[r][0];
            }
            return scores;
        }
    }

    static DMatrix matrix(Data data) throws XGBoostError {
        DMatrix matrix =
                new DMatrix(data.x().values(), data.x().rows(), data.x().columns(), Float.NaN);
        float[] y = new float[data.labels().length];
        for (int r = 0; r < y.length; r++) {
            y[r] = data.labels()[r] ? 1f : 0f;
        }
        matrix.setLabel(y);
        return matrix;
    }

    static Data data(int rows, int features, double missing, long seed) {
        SyntheticRows drawn = SyntheticRows.draw(rows, features, missing, seed);
        return new Data(new Matrix(drawn.values(), drawn.columns()), drawn.labels());
    }

    static Map<String, Object> parameters(Shape shape) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("objective", shape.objective());
        parameters.put("tree_method", "hist");
        parameters.put("max_depth", shape.depth());
        parameters.put("eta", 0.3);
        parameters.put("min_child_weight", 0.1);
        parameters.put("seed", shape.seed());
        parameters.put("nthread", 1);
        parameters.put("verbosity", 0);
        if (shape.baseScore() != null) {
            parameters.put("base_score", shape.baseScore());
        }
        return parameters;
    }

    static byte[] train(Shape shape, Data train, Data validation) throws XGBoostError {
        if (shape.earlyStopping() == 0) {
            return train(train, parameters(shape), shape.rounds());
        }
        Map<String, Object> parameters = parameters(shape);
        parameters.put("eval_metric", "logloss");
        parameters.put("silent", 1);
        DMatrix dtrain = matrix(train);
        DMatrix dvalidation = matrix(validation);
        Booster booster = XGBoost.train(
                dtrain,
                parameters,
                shape.rounds(),
                Map.of("validation", dvalidation),
                null,
                null,
                null,
                shape.earlyStopping());
        int best = Integer.parseInt(booster.getAttr("best_iteration"));
        byte[] json = BoosterModel.firstIterations(booster.toByteArray("json"), best + 1);
        booster.dispose();
        dtrain.dispose();
        dvalidation.dispose();
        return json;
    }

    static byte[] train(Data train, Map<String, Object> parameters, int rounds) throws XGBoostError {
        DMatrix dtrain = matrix(train);
        Booster booster = XGBoost.train(dtrain, parameters, rounds, Map.of(), null, null);
        byte[] json = booster.toByteArray("json");
        booster.dispose();
        dtrain.dispose();
        return json;
    }

    static Matrix allMissing(int features) {
        float[] values = new float[features];
        java.util.Arrays.fill(values, Float.NaN);
        return new Matrix(values, features);
    }

    static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
