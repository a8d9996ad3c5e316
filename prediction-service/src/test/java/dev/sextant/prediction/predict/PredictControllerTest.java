package dev.sextant.prediction.predict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.prediction.runtime.Datatype;
import dev.sextant.prediction.runtime.Tensor;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the domain API hands each row its share of the model's outputs. */
class PredictControllerTest {

    @Test
    void eachRowGetsANumberAnArrayOrALabelledMapOfItsOwnValues() {
        Map<String, Tensor> result = Map.of(
                "probability",
                new Tensor("probability", Datatype.FP32, new long[] {2, 1}, new float[] {0.25f, 0.75f}),
                "scores",
                new Tensor("scores", Datatype.FP64, new long[] {2, 2}, new double[] {1, 2, 3, 4}),
                "classes",
                new Tensor(
                        "classes",
                        Datatype.FP32,
                        new long[] {2, 2},
                        new float[] {0.9f, 0.1f, 0.2f, 0.8f},
                        List.of("0", "1")));

        Map<String, Object> second = PredictController.outputs(result, 1, 2);

        assertThat(second.get("probability")).isEqualTo(0.75f);
        assertThat(second.get("scores")).isEqualTo(List.of(3.0, 4.0));
        assertThat(second.get("classes")).isEqualTo(Map.of("0", 0.2f, "1", 0.8f));
    }

    @Test
    void unsignedSixtyFourBitOutputsAreTheUnsignedNumbersAsInTheInferenceProtocol() {
        Map<String, Tensor> result =
                Map.of("ids", new Tensor("ids", Datatype.UINT64, new long[] {1, 2}, new long[] {-1L, 7L}));

        assertThat(PredictController.outputs(result, 0, 1).get("ids"))
                .isEqualTo(List.of(new BigInteger("18446744073709551615"), 7L));
    }
}
