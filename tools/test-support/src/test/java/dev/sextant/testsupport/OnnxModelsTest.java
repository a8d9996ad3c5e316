package dev.sextant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxModelsTest {

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();

    @Test
    void logisticRegressionComputesTheSigmoidOfTheLinearScoreInOnnxRuntime() throws OrtException {
        byte[] model = OnnxModels.logisticRegression(new float[] {1f, -2f, 0.5f}, 0.25f);
        try (OrtSession session = environment.createSession(model);
                OnnxTensor input = OnnxTensor.createTensor(environment, new float[][] {{1f, 1f, 2f}, {0f, 0f, 0f}});
                OrtSession.Result result = session.run(Map.of("features", input))) {
            float[][] probability = (float[][]) result.get(0).getValue();
            assertThat(probability[0][0]).isCloseTo(sigmoid(1f - 2f + 1f + 0.25f), within());
            assertThat(probability[1][0]).isCloseTo(sigmoid(0.25f), within());
        }
    }

    @Test
    void identityModelDeclaresDynamicDimensionsAsMinusOne() throws OrtException {
        try (OrtSession session = environment.createSession(OnnxModels.identity(DataType.INT64, -1, 4))) {
            TensorInfo input = (TensorInfo) session.getInputInfo().get("input").getInfo();
            assertThat(input.getShape()).containsExactly(-1L, 4L);
        }
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    private static org.assertj.core.data.Offset<Float> within() {
        return org.assertj.core.data.Offset.offset(1e-6f);
    }
}
