package dev.sextant.prediction.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A request's id, bounded: every prediction log carries it. */
class RequestIdsTest {

    @Test
    void boundsTheRequestIdThatEveryLogCarries() {
        assertThat(RequestIds.of("order-42")).isEqualTo("order-42");
        assertThat(RequestIds.of("a".repeat(128))).hasSize(128);
        assertThat(RequestIds.of(null)).matches("[0-9a-f-]{36}");
        for (String id : List.of("", "a".repeat(129), "a".repeat(65536), "line\nbreak", "caf\u00e9")) {
            assertThatThrownBy(() -> RequestIds.of(id))
                    .isInstanceOf(InferenceError.class)
                    .hasMessageStartingWith("id must be 1-128 printable ASCII characters, got " + id.length());
        }
    }
}
