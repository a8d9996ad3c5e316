package dev.sextant.prediction.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.prediction.api.InferenceError;
import dev.sextant.prediction.runtime.Datatype;
import dev.sextant.prediction.runtime.ModelSignature;
import dev.sextant.prediction.runtime.Tensor;
import dev.sextant.prediction.runtime.TensorSpec;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TensorCodecTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ModelSignature SIGNATURE = new ModelSignature(
            List.of(new TensorSpec("features", Datatype.FP32, List.of(-1L, 2L), null)),
            List.of(new TensorSpec("probability", Datatype.FP32, List.of(-1L, 1L), null)));

    @Test
    void countsTheDataBeforeAllocatingTheDeclaredShape() {
        // a few hundred bytes that declare 16 million elements: refused without allocating 64 MB
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<InferenceMessages.RequestInput> inputs = inputs("[8388608, 2]", "FP32", "[1, 2]");
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> TensorCodec.inputs(SIGNATURE, inputs))
                .isInstanceOf(InferenceError.class)
                .hasMessage("input 'features' has 2 element(s) in data; its shape [8388608, 2] holds 16777216");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before)
                .as("bytes allocated to refuse it")
                .isLessThan(1024 * 1024);
    }

    @Test
    void refusesAFractionalOrNegativeDimensionNamingTheInput() {
        for (String shape : List.of("[1.5, 2]", "[1, 2.0]", "[-1, 2]", "[\"1\", 2]", "[null, 2]", "3")) {
            assertThatThrownBy(() -> TensorCodec.inputs(SIGNATURE, inputs(shape, "FP32", "[1, 2]")))
                    .as(shape)
                    .isInstanceOf(InferenceError.class)
                    .hasMessageStartingWith("input 'features' has shape ");
        }
        assertThatThrownBy(() -> TensorCodec.inputs(SIGNATURE, inputs("[1.5, 2]", "FP32", "[1, 2]")))
                .hasMessage(
                        "input 'features' has shape [1.5, 2]: dimension 0 is 1.5, not a whole number of at least 0");
    }

    @Test
    void refusesAFloatOutsideTheDatatypesFiniteRange() {
        assertThatThrownBy(() -> TensorCodec.inputs(SIGNATURE, inputs("[1, 2]", "FP32", "[1, 1e39]")))
                .isInstanceOf(InferenceError.class)
                .hasMessage("input 'features' element 1 is 1.0E39; expected a number in the range of FP32"
                        + " (±3.4028235E38)");
        assertThatThrownBy(() -> TensorCodec.inputs(SIGNATURE, inputs("[1, 2]", "FP32", "[-1e39, 0]")))
                .hasMessageContaining("element 0");
        // the shortest decimal of the largest float is a little above it, and rounds to it
        Tensor largest = TensorCodec.inputs(SIGNATURE, inputs("[1, 2]", "FP32", "[3.4028235E38, -3.4028235E38]"))
                .get(0);
        assertThat((float[]) largest.values()).containsExactly(Float.MAX_VALUE, -Float.MAX_VALUE);
    }

    @Test
    void readsNestedDataInRowMajorOrder() {
        Tensor tensor = TensorCodec.inputs(SIGNATURE, inputs("[2, 2]", "FP32", "[[1, 2], [3, 4]]"))
                .get(0);
        assertThat((float[]) tensor.values()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(tensor.shape()).containsExactly(2, 2);
    }

    private static List<InferenceMessages.RequestInput> inputs(String shape, String datatype, String data) {
        return List.of(new InferenceMessages.RequestInput(
                "features", JSON.readTree(shape), datatype, null, JSON.readTree(data)));
    }
}
