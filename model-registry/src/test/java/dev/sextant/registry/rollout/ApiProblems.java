package dev.sextant.registry.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.registry.api.ApiException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that a rollout check refuses with the problem a client would get. */
final class ApiProblems {

    private ApiProblems() {}

    static void assertRefused(ThrowingCallable check, int status, String detail) {
        assertThatThrownBy(check)
                .isInstanceOf(ApiException.class)
                .satisfies(e ->
                        assertThat(((ApiException) e).getStatusCode().value()).isEqualTo(status))
                .hasMessageContaining(detail);
    }
}
