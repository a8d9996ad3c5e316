package dev.sextant.registry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.registry.api.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "fraud",
                "a",
                "7eleven",
                "fraud-detector_v2.onnx",
                "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"
            })
    void acceptsLowercaseModelNamesOfUpTo63Characters(String name) {
        assertThat(Names.model(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "Fraud",
                "-fraud",
                ".fraud",
                "_fraud",
                "../x",
                "a/b",
                "a b",
                "fraud\n",
                "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"
            })
    void rejectsOtherModelNamesWithTheRule(String name) {
        assertThatThrownBy(() -> Names.model(name))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("invalid model name")
                .hasMessageContaining("1-63 lowercase letters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"champion", "challenger", "canary-2", "shadow.b"})
    void acceptsAliasesStartingWithALetter(String alias) {
        assertThat(Names.alias(alias)).isEqualTo(alias);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "1st", "Champion", "", "-x"})
    void rejectsAliasesThatCouldReadAsVersionsOrBreakTheRule(String alias) {
        assertThatThrownBy(() -> Names.alias(alias))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("alias");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "01", "abc", "1e3", "9999999999", ""})
    void rejectsVersionsThatAreNotPositiveIntegers(String version) {
        assertThatThrownBy(() -> Names.version(version))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("positive integer");
    }
}
