package dev.sextant.training.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class LabelEventTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void parsesALabelWithItsEventsKeysTimeAndValues() {
        LabelEvent label = LabelEvent.parse(
                "{\"event_id\": \"t-1\", \"label\": true, \"event_time\": \"2026-11-22T12:00:00Z\","
                        + " \"label_time\": 1795900000000, \"entities\": {\"card_id\": \"card-1\"},"
                        + " \"request\": {\"amount\": 4.5}}",
                JSON);
        assertThat(label.eventId()).isEqualTo("t-1");
        assertThat(label.label()).isTrue();
        assertThat(label.eventTime()).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
        assertThat(label.entities()).isEqualTo("{\"card_id\":\"card-1\"}");
        assertThat(label.request()).isEqualTo("{\"amount\":4.5}");
    }

    @Test
    void refusesLabelsThatCannotBeJoinedOrMakeNoSense() {
        String base = "\"event_id\": \"t\", \"event_time\": \"2026-11-22T12:00:00Z\","
                + " \"label_time\": \"2026-11-23T12:00:00Z\"";
        assertThatThrownBy(() -> LabelEvent.parse("{" + base + ", \"label\": 2, \"entities\": {\"a\": 1}}", JSON))
                .hasMessageContaining("label must be");
        assertThatThrownBy(() -> LabelEvent.parse("{" + base + ", \"label\": 1}", JSON))
                .hasMessageContaining("entities");
        assertThatThrownBy(() -> LabelEvent.parse(
                        "{\"event_id\": \"t\", \"label\": 0, \"event_time\": \"2026-11-23T12:00:00Z\", \"label_time\":"
                                + " \"2026-11-22T12:00:00Z\", \"entities\": {\"a\": 1}}",
                        JSON))
                .hasMessageContaining("before event_time");
        assertThatThrownBy(() -> LabelEvent.parse("not json", JSON)).hasMessageContaining("not JSON");
        assertThatThrownBy(() ->
                        LabelEvent.parse("{" + base + ", \"label\": 1, \"entities\": {\"a\": {\"nested\": 1}}}", JSON))
                .hasMessageContaining("entities.a");
    }
}
