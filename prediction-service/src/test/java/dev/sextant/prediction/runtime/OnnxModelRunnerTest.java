package dev.sextant.prediction.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sextant.testsupport.OnnxModels;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OnnxModelRunnerTest {

    record Case(DataType onnxType, Datatype datatype, Object values) {
        @Override
        public String toString() {
            return datatype.name();
        }
    }

    static List<Case> everyServedType() {
        return List.of(
                new Case(DataType.BOOL, Datatype.BOOL, new boolean[] {true, false, true, true}),
                new Case(DataType.UINT8, Datatype.UINT8, new short[] {0, 1, 200, 255}),
                new Case(DataType.UINT16, Datatype.UINT16, new int[] {0, 1, 40_000, 65_535}),
                new Case(DataType.UINT32, Datatype.UINT32, new long[] {0, 1, 3_000_000_000L, 4_294_967_295L}),
                // 2^63 and 2^64 - 1 are held as the longs with their bits
                new Case(DataType.UINT64, Datatype.UINT64, new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, -1L}),
                new Case(DataType.INT8, Datatype.INT8, new short[] {-128, -1, 0, 127}),
                new Case(DataType.INT16, Datatype.INT16, new short[] {Short.MIN_VALUE, -1, 0, Short.MAX_VALUE}),
                new Case(DataType.INT32, Datatype.INT32, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}),
                new Case(DataType.INT64, Datatype.INT64, new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}),
                new Case(DataType.FLOAT16, Datatype.FP16, new float[] {-2.5f, 0f, 0.099975586f, 65504f}),
                new Case(DataType.FLOAT, Datatype.FP32, new float[] {-1.5e-30f, 0f, 3.14159f, Float.MAX_VALUE}),
                new Case(DataType.DOUBLE, Datatype.FP64, new double[] {-1e300, 0, Math.PI, Double.MIN_VALUE}),
                new Case(DataType.STRING, Datatype.BYTES, new String[] {"", "a", "café", "ü€𝄞"}));
    }

    @ParameterizedTest
    @MethodSource("everyServedType")
    void roundTripsEveryServedTypeExactly(Case type) throws Exception {
        try (OnnxModelRunner runner = OnnxModelRunner.load(OnnxModels.identity(type.onnxType(), -1, 2), 1, 1)) {
            assertThat(runner.signature().inputs())
                    .containsExactly(new TensorSpec("input", type.datatype(), List.of(-1L, 2L), null));

            Map<String, Tensor> out = runner.run(
                    List.of(new Tensor("input", type.datatype(), new long[] {2, 2}, type.values())), Set.of("output"));

            Tensor output = out.get("output");
            assertThat(output.datatype()).isEqualTo(type.datatype());
            assertThat(output.shape()).containsExactly(2, 2);
            assertThat(output.values()).isEqualTo(type.values());
        }
    }

    /**
     * Without a GPU every provider setting ends on the CPU: with the default build because it has no CUDA, with
     * the onnxruntime_gpu build because the CUDA session cannot be created. On a GPU machine with that build,
     * {@code cuda} and {@code auto} run on CUDA.
     */
    @Test
    void everyProviderSettingLoadsAndAnswersFallingBackToTheCpu() throws Exception {
        for (OnnxModelRunner.ExecutionProvider wanted : OnnxModelRunner.ExecutionProvider.values()) {
            try (OnnxModelRunner runner =
                    OnnxModelRunner.load(OnnxModels.logisticRegression(new float[] {1f}, 0f), 1, 1, wanted, 0)) {
                if (!OnnxModelRunner.cudaBuilt() || wanted == OnnxModelRunner.ExecutionProvider.CPU) {
                    assertThat(runner.executionProvider())
                            .as("wanted %s", wanted)
                            .isEqualTo("CPU");
                } else {
                    assertThat(runner.executionProvider())
                            .as("wanted %s", wanted)
                            .isIn("CPU", "CUDA");
                }
                assertThat(runner.run(
                                        List.of(new Tensor(
                                                "features", Datatype.FP32, new long[] {1, 1}, new float[] {0})),
                                        Set.of("probability"))
                                .get("probability")
                                .values())
                        .isEqualTo(new float[] {0.5f});
            }
        }
    }

    @Test
    void answersASequenceOfMapsAsRowsOfValuesWithTheirLabels() throws Exception {
        try (OnnxModelRunner runner = OnnxModelRunner.load(OnnxModels.zipMap(0, 1), 1, 1)) {
            assertThat(runner.signature().output("probabilities").orElseThrow().keys())
                    .isEmpty();

            Tensor out = runner.run(
                            List.of(new Tensor(
                                    "scores", Datatype.FP32, new long[] {2, 2}, new float[] {0.9f, 0.1f, 0.25f, 0.75f
                                    })),
                            Set.of("probabilities"))
                    .get("probabilities");

            assertThat(out.shape()).containsExactly(2, 2);
            assertThat(out.labels()).containsExactly("0", "1");
            assertThat((float[]) out.values()).containsExactly(0.9f, 0.1f, 0.25f, 0.75f);
        }
    }

    @Test
    void refusesAModelWithATypeTheJavaApiCannotExchangeNamingTheTensor() {
        assertThatThrownBy(() -> OnnxModelRunner.load(OnnxModels.identity(DataType.BFLOAT16, -1, 2), 1, 1))
                .isInstanceOf(ModelRunException.class)
                .hasMessageContaining("'input' has element type")
                .hasMessageContaining("BFLOAT16");
    }

    @Test
    void refusesBytesThatAreNotAModel() {
        assertThatThrownBy(() -> OnnxModelRunner.load(new byte[] {1, 2, 3}, 1, 1))
                .isInstanceOf(ModelRunException.class)
                .hasMessageStartingWith("ONNX Runtime cannot load the model: ");
    }
}
