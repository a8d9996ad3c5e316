package dev.sextant.web.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ActorTest {

    @Test
    void theHeaderNamesTheActorAndNoHeaderIsAnonymous() {
        assertThat(Actor.of(" demo-admin ")).isEqualTo("demo-admin");
        assertThat(Actor.of("a".repeat(200))).hasSize(200);
        assertThat(Actor.of(null)).isEqualTo(Actor.ANONYMOUS);
        assertThat(Actor.of("  ")).isEqualTo(Actor.ANONYMOUS);
    }

    @Test
    void aHeaderThatNamesNoValidActorIsAProblemNamingTheHeader() {
        for (String invalid : new String[] {"a".repeat(201), "tab\there", "new\nline"}) {
            assertThatThrownBy(() -> Actor.of(invalid))
                    .isInstanceOf(Actor.InvalidActorException.class)
                    .hasMessageContaining("header X-Sextant-Actor must be 1-200 printable characters");
        }
        assertThatThrownBy(() -> Actor.of("a".repeat(201)))
                .hasMessageEndingWith("got 201 starting '" + "a".repeat(40) + "...'");
    }
}
