package dev.sextant.xgboost.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/models/fraud-xgboost.onnx}, the boosted-trees twin of {@code fraud-logreg-v2.onnx} (the same three
 * inputs: amount_zscore, txn_count_1h, merchant_risk; the load test's tree champion), is exactly this converter's
 * export of {@code fraud-xgboost.json}, the XGBoost model beside it, and scores as XGBoost does. Run with {@code
 * -Dsextant.examples.write=true} to train the booster again (150 rounds of depth 4, the fraud recipe's shape, on
 * synthetic rows) and write both files.
 */
class ExampleTreeModelTest {

    static final Path EXAMPLES = Path.of("../../examples/models");
    static final Path JSON = EXAMPLES.resolve("fraud-xgboost.json");
    static final Path ONNX = EXAMPLES.resolve("fraud-xgboost.onnx");

    @Test
    void theExampleTreeModelIsTheExportOfItsBooster() throws Exception {
        if (Boolean.getBoolean("sextant.examples.write")) {
            byte[] json = train();
            Files.write(JSON, json);
            Files.write(ONNX, export(json));
        }
        byte[] json = Files.readAllBytes(JSON);

        assertThat(Files.readAllBytes(ONNX)).isEqualTo(export(json));
        assertThat(BoosterModel.parse(json).trees()).hasSize(150);
        TreeEnsembleExportTest.Matrix rows = new TreeEnsembleExportTest.Matrix(rows(2_000, 9), 3);
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(Files.readAllBytes(ONNX))) {
            assertThat(TreeEnsembleExportTest.maxDifference(
                            TreeEnsembleExportTest.onnxRuntime(session, rows),
                            TreeEnsembleExportTest.xgboost(json, 0, rows)))
                    .isLessThanOrEqualTo(TreeEnsembleExportTest.TOLERANCE);
        }
    }

    private static byte[] export(byte[] json) {
        return TreeEnsembleExport.onnx(
                BoosterModel.parse(json),
                0,
                "fraud-xgboost",
                "fraud scorer, boosted trees over (amount_zscore, txn_count_1h, merchant_risk)");
    }

    private static byte[] train() throws Exception {
        float[] x = rows(50_000, 1);
        float[] y = new float[x.length / 3];
        SplittableRandom random = new SplittableRandom(2);
        for (int r = 0; r < y.length; r++) {
            float z = x[r * 3];
            float count = x[r * 3 + 1];
            float risk = x[r * 3 + 2];
            // Riskier with larger amounts and risky merchants, and far riskier in a burst at a risky merchant.
            double logit = -3.6 + 0.8 * z + 2.5 * risk + (count > 8 && risk > 0.5 ? 2 : 0);
            y[r] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        }
        DMatrix matrix = new DMatrix(x, y.length, 3, Float.NaN);
        matrix.setLabel(y);
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("objective", "binary:logistic");
        parameters.put("tree_method", "hist");
        parameters.put("max_depth", 4);
        parameters.put("eta", 0.05);
        parameters.put("seed", 7);
        parameters.put("nthread", 1);
        parameters.put("verbosity", 0);
        Booster booster = XGBoost.train(matrix, parameters, 150, Map.of(), null, null);
        byte[] json = booster.toByteArray("json");
        booster.dispose();
        matrix.dispose();
        return json;
    }

    /** amount_zscore ~ N(0, 1), txn_count_1h in 0..20, merchant_risk the product of two uniforms. */
    private static float[] rows(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count * 3];
        for (int r = 0; r < count; r++) {
            values[r * 3] = (float)
                    (Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble()));
            values[r * 3 + 1] = random.nextInt(21);
            values[r * 3 + 2] = (float) (random.nextDouble() * random.nextDouble());
        }
        return values;
    }
}
