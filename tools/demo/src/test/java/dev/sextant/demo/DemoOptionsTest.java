package dev.sextant.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void everyPartDefaultsToItsLocalPort() {
        DemoOptions options = DemoOptions.parse();

        assertThat(options.registry()).isEqualTo("http://localhost:8083");
        assertThat(options.kafka()).isEqualTo("localhost:9092");
        assertThat(options.gateway()).isEqualTo("http://localhost:8080");
        assertThat(options.keepRunning()).isFalse();
    }

    @Test
    void takesNamedOptionsInAnyOrder() {
        DemoOptions options =
                DemoOptions.parse("--keep-running", "--gateway", "http://127.0.0.1:9080", "--kafka", "127.0.0.1:19092");

        assertThat(options.gateway()).isEqualTo("http://127.0.0.1:9080");
        assertThat(options.kafka()).isEqualTo("127.0.0.1:19092");
        assertThat(options.monitoring()).isEqualTo("http://localhost:8085");
        assertThat(options.keepRunning()).isTrue();
    }

    @Test
    void refusesAnOptionItDoesNotKnowOrOneWithoutItsValue() {
        assertThatThrownBy(() -> DemoOptions.parse("--registy", "http://localhost:8083"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--registy")
                .hasMessageContaining("--registry");
        assertThatThrownBy(() -> DemoOptions.parse("--gateway"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--gateway");
    }
}
