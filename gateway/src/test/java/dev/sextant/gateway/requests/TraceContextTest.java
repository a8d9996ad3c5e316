package dev.sextant.gateway.requests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {

    @Test
    void keepsAWellFormedTraceparentAsItIs() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
        TraceContext trace = TraceContext.of(traceparent);
        assertThat(trace.traceparent()).isEqualTo(traceparent);
        assertThat(trace.started()).isFalse();
        assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "garbage",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"
            })
    void startsANewSampledTraceForAMissingOrMalformedOne(String header) {
        TraceContext trace = TraceContext.of(header);
        assertThat(trace.started()).isTrue();
        assertThat(trace.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(trace.traceId()).isNotEqualTo("0".repeat(32)).isNotEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }
}
