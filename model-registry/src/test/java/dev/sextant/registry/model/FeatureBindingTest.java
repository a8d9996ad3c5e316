package dev.sextant.registry.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.registry.api.ApiException;
import dev.sextant.registry.signature.Signature;
import dev.sextant.registry.signature.TensorSpec;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FeatureBindingTest {

    @Test
    void aBindingMayListOneFeaturePerColumnOfASingleMatrixInput() {
        assertThatCode(() -> ModelService.checkFeatureBinding(features(3), matrix(3)))
                .doesNotThrowAnyException();
        assertThatCode(() -> ModelService.checkFeatureBinding(features(5), matrix(-1)))
                .doesNotThrowAnyException();
    }

    @Test
    void aBindingMayListOneFeaturePerInput() {
        Signature perFeature = new Signature(
                List.of(tensor("amount", List.of(-1L, 1L)), tensor("country", List.of(-1L, 1L))), List.of());
        assertThatCode(() -> ModelService.checkFeatureBinding(features(2), perFeature))
                .doesNotThrowAnyException();
    }

    @Test
    void aBindingWhoseCountDoesNotMatchTheColumnsIsRejected() {
        assertThatThrownBy(() -> ModelService.checkFeatureBinding(features(2), matrix(3)))
                .isInstanceOf(ApiException.class)
                .hasMessage("metadata.features binds 2 features but input 'features' takes 3 columns");
    }

    @Test
    void aBindingForAModelWithSeveralInputsOfAnotherCountIsRejected() {
        Signature twoInputs = new Signature(List.of(tensor("a", List.of(-1L)), tensor("b", List.of(-1L))), List.of());
        assertThatThrownBy(() -> ModelService.checkFeatureBinding(features(3), twoInputs))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("has 2 inputs");
    }

    private static List<VersionMetadata.FeatureBinding> features(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new VersionMetadata.FeatureBinding("view:f" + i, null))
                .toList();
    }

    private static Signature matrix(long columns) {
        return new Signature(List.of(tensor("features", List.of(-1L, columns))), List.of());
    }

    private static TensorSpec tensor(String name, List<Long> shape) {
        return new TensorSpec(name, TensorSpec.TENSOR, "FP32", shape, null);
    }
}
