package dev.sextant.registry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testsupport.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The ONNX files in examples/models (used by the README, the docs and the start command's demo) are exactly
 * what {@link OnnxModels} generates: they are reproducible, not downloaded. Run with
 * {@code -Dsextant.examples.write=true} to regenerate them.
 */
class ExampleModelsTest {

    static final Path EXAMPLES = Path.of("../examples/models");
    // Weights over (amount_zscore, txn_count_1h, merchant_risk): a toy fraud scorer.
    static final byte[] FRAUD_V1 = OnnxModels.logisticRegression(new float[] {0.8f, 0.35f, 1.2f}, -3.0f);
    static final byte[] FRAUD_V2 = OnnxModels.logisticRegression(new float[] {0.9f, 0.45f, 1.5f}, -3.2f);
    // The small MLP the prediction service's inference benchmark serves (tools/bench/oip-infer.sh).
    static final byte[] MLP = OnnxModels.mlp(32, 64, 7);
    // The MLP over 20 online features that the domain API benchmark serves (tools/bench/domain-predict.sh).
    static final byte[] MLP_20 = OnnxModels.mlp(20, 64, 11);

    @Test
    void checkedInExampleModelsAreTheGeneratedOnes() throws IOException {
        if (Boolean.getBoolean("sextant.examples.write")) {
            Files.write(EXAMPLES.resolve("fraud-logreg-v1.onnx"), FRAUD_V1);
            Files.write(EXAMPLES.resolve("fraud-logreg-v2.onnx"), FRAUD_V2);
            Files.write(EXAMPLES.resolve("mlp-32x64.onnx"), MLP);
            Files.write(EXAMPLES.resolve("mlp-20x64.onnx"), MLP_20);
        }
        assertThat(Files.readAllBytes(EXAMPLES.resolve("fraud-logreg-v1.onnx"))).isEqualTo(FRAUD_V1);
        assertThat(Files.readAllBytes(EXAMPLES.resolve("fraud-logreg-v2.onnx"))).isEqualTo(FRAUD_V2);
        assertThat(Files.readAllBytes(EXAMPLES.resolve("mlp-32x64.onnx"))).isEqualTo(MLP);
        assertThat(Files.readAllBytes(EXAMPLES.resolve("mlp-20x64.onnx"))).isEqualTo(MLP_20);
    }
}
