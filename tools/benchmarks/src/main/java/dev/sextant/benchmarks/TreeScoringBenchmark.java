package dev.sextant.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sextant.xgboost.onnx.BoosterModel;
import dev.sextant.xgboost.onnx.TreeEnsembleExport;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Scoring boosted trees: ONNX Runtime on the graph {@code xgboost-onnx} exports, against XGBoost's own predict on the
 * same booster, on the same rows, in the same run (target: ONNX Runtime within 2× of XGBoost at batch 1).
 *
 * <p>{@code model} is the booster's shape: {@code fraud} is the fraud recipe's (12 columns, depth 4, trained with
 * early stopping: about 150 trees), {@code 500x8} a large one (500 trees of depth 8), the size of the published
 * comparisons. Both are trained here by xgboost4j on synthetic fraud-like rows (a few percent positives, an
 * interaction, 5 % missing values). Each engine scores with one thread, as the prediction service's ONNX Runtime
 * sessions do ({@code intra-op-threads: 1}); ONNX Runtime's time includes building the input tensor and reading the
 * output, as a request pays them; XGBoost's is {@code inplace_predict} on the row array, its fastest path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TreeScoringBenchmark {

    private static final int COLUMNS = 12;
    private static final int ROWS = 4_096;

    @Param({"fraud", "500x8"})
    public String model;

    @Param({"1", "32"})
    public int batch;

    private OrtEnvironment environment;
    private OrtSession session;
    private Booster booster;
    private float[] rows;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        float[] train = rows(60_000, 1);
        boolean[] labels = labels(train);
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("objective", "binary:logistic");
        parameters.put("tree_method", "hist");
        parameters.put("seed", 7);
        parameters.put("verbosity", 0);
        int rounds;
        if (model.equals("fraud")) {
            parameters.put("max_depth", 4);
            parameters.put("eta", 0.05);
            parameters.put("subsample", 0.8);
            parameters.put("colsample_bytree", 0.8);
            rounds = 150;
        } else {
            parameters.put("max_depth", 8);
            parameters.put("eta", 0.1);
            rounds = 500;
        }
        DMatrix matrix = new DMatrix(train, labels.length, COLUMNS, Float.NaN);
        float[] y = new float[labels.length];
        for (int r = 0; r < y.length; r++) {
            y[r] = labels[r] ? 1 : 0;
        }
        matrix.setLabel(y);
        Booster trained = XGBoost.train(matrix, parameters, rounds, Map.of(), null, null);
        byte[] json = trained.toByteArray("json");
        trained.dispose();
        matrix.dispose();
        booster = XGBoost.loadModel(json);
        booster.setParam("nthread", 1);
        environment = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = environment.createSession(
                TreeEnsembleExport.onnx(BoosterModel.parse(json), 0, "fraud-detector", "benchmark"), options);
        rows = rows(ROWS, 2);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        session.close();
        booster.dispose();
    }

    @Benchmark
    public float onnxRuntime() throws OrtException {
        int from = advance();
        try (OnnxTensor input = OnnxTensor.createTensor(
                        environment,
                        FloatBuffer.wrap(rows, from * COLUMNS, batch * COLUMNS).slice(),
                        new long[] {batch, COLUMNS});
                OrtSession.Result result = session.run(Map.of(TreeEnsembleExport.INPUT, input))) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().get(batch - 1);
        }
    }

    @Benchmark
    public float xgboost() throws XGBoostError {
        int from = advance();
        float[] batchRows = new float[batch * COLUMNS];
        System.arraycopy(rows, from * COLUMNS, batchRows, 0, batchRows.length);
        float[][] scores = booster.inplace_predict(batchRows, batch, COLUMNS, Float.NaN);
        return scores[batch - 1][0];
    }

    private int advance() {
        next = next + batch > ROWS - batch ? 0 : next + batch;
        return next;
    }

    /** Amounts, risk, ages, flags and noise; 5 % of the values missing. */
    private static float[] rows(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count * COLUMNS];
        for (int r = 0; r < count; r++) {
            for (int c = 0; c < COLUMNS; c++) {
                float value =
                        switch (c) {
                            case 0 -> (float) Math.exp(3.6 + 0.7 * gaussian(random));
                            case 1 -> (float) (random.nextDouble() * random.nextDouble());
                            case 2 -> random.nextInt(3_000);
                            case 3, 4 -> random.nextDouble() < 0.1 ? 1 : 0;
                            default -> (float) gaussian(random);
                        };
                values[r * COLUMNS + c] = c > 4 && random.nextDouble() < 0.05 ? Float.NaN : value;
            }
        }
        return values;
    }

    private static boolean[] labels(float[] values) {
        SplittableRandom random = new SplittableRandom(3);
        boolean[] labels = new boolean[values.length / COLUMNS];
        for (int r = 0; r < labels.length; r++) {
            int at = r * COLUMNS;
            double logit = -7.6
                    + 3.5 * values[at + 1]
                    + 0.85 * Math.log1p(values[at])
                    + 1.6 * values[at + 3]
                    - 0.2 * values[at + 2] / 365
                    + (values[at + 3] > 0 && values[at + 2] < 365 ? 2.5 : 0);
            labels[r] = random.nextDouble() < 1 / (1 + Math.exp(-logit));
        }
        return labels;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
