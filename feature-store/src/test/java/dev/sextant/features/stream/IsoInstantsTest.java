package dev.sextant.features.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-22T12:00:00Z",
                "2026-11-22T12:00:00.5Z",
                "2026-11-22T12:00:00.123Z",
                "2026-11-22T12:00:00.123456789Z",
                "2026-11-22T12:00:00.999+01:00",
                "2026-11-22T00:30:00-05:30",
                "2024-02-29T23:59:59Z",
                "1969-12-31T23:59:59.001Z",
                "2026-11-22T12:00Z",
                "2026-11-22T12:00:00.Z",
            })
    void agreesWithOffsetDateTime(String text) {
        assertThat(IsoInstants.epochMillis(text))
                .isEqualTo(OffsetDateTime.parse(text).toInstant().toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-22T12:00:00",
                "2026-02-30T12:00:00Z",
                "2026-11-22T24:00:00Z",
                "2026-11-22T12:00:00+0100",
                "2026-11-22 12:00:00Z",
                "yesterday",
                "2026-11-22T12:00:00+25:00",
            })
    void rejectsWhatOffsetDateTimeRejects(String text) {
        assertThat(IsoInstants.epochMillis(text)).isEqualTo(IsoInstants.NOT_ISO);
    }
}
