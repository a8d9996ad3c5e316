package dev.sextant.monitoring.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.window.PredictionLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** The records of contracts/events/prediction-logs.v1.md, read into columns; and what makes a record malformed. */
class PredictionLogParserTest {

    final PredictionLogParser parser = new PredictionLogParser(
            JsonMapper.builder().build(),
            (model, version) -> Optional.of(new ReferenceProfile(List.of("a", "b", "c"), Map.of())));

    PredictionLog parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsADomainPredictionWhateverTheOrderOfItsFields() {
        PredictionLog log = parse(
                """
                {"features": [{"name": "request:amount", "values": [120.5, null], "defaulted": [false, true]},
                              {"defaulted": [true], "values": [true], "name": "card_profile:is_premium"}],
                 "outputs": [{"name": "label", "shape": [2], "data": [0, 1]},
                             {"name": "probability", "datatype": "FP32", "shape": [2, 1], "data": [0.25, 0.5]}],
                 "schema_version": 1, "request_id": "pay-1", "time": "2026-11-26T04:10:02.418Z",
                 "model": "fraud-detector", "version": 2, "traffic_role": "champion", "api": "predict",
                 "entity_keys": {"card_id": ["c-1", "c-2"]}, "degraded": false,
                 "latency_ms": {"total": 0.62, "features": 0.21, "inference": 0.05}}
                """);
        assertThat(log.requestId()).isEqualTo("pay-1");
        assertThat(log.time()).isEqualTo(Instant.parse("2026-11-26T04:10:02.418Z"));
        assertThat(log.model()).isEqualTo("fraud-detector");
        assertThat(log.version()).isEqualTo(2);
        assertThat(log.columns().get("request:amount")).containsExactly(120.5, Double.NaN);
        assertThat(log.defaulted().get("request:amount")).containsExactly(false, true);
        assertThat(log.columns().get("card_profile:is_premium")).containsExactly(1.0);
        assertThat(log.columns().get("score")).containsExactly(0.25, 0.5);
        assertThat(log.serving()).isEqualTo(new PredictionLog.Serving("champion", null, null, null, 0.62, 0.05, null));
    }

    @Test
    void readsWhomAPredictionServedAsARolloutsShadowAmongThem() {
        PredictionLog shadow = parse(
                """
                {"schema_version": 1, "request_id": "pay-1", "time": "2026-11-26T04:10:02.418Z",
                 "model": "fraud-detector", "version": 3, "traffic_role": "shadow", "rollout_id": 7, "api": "oip",
                 "outputs": [{"name": "probability", "shape": [1, 1], "data": [0.5]}],
                 "latency_ms": {"total": "soon", "inference": 0.05, "queue": {"nested": 1}}}
                """);
        PredictionLog oddUnit = parse(
                """
                {"request_id": "pay-4", "time": "2026-11-26T04:10:02.418Z", "model": "fraud-detector",
                 "version": 2, "traffic_role": "challenger", "rollout_id": 7, "rollout_revision": 2.5,
                 "assignment_unit": {"card": 1}}
                """);
        assertThat(oddUnit.serving().unit())
                .as("not a string: the request id stands in")
                .isNull();
        PredictionLog older = parse(
                """
                {"request_id": "pay-2", "time": "2026-11-26T04:10:02.418Z", "model": "fraud-detector",
                 "version": 2, "rollout_id": "7", "latency_ms": [1]}
                """);
        PredictionLog failed = parse(
                """
                {"request_id": "pay-3", "time": "2026-11-26T04:10:02.418Z", "model": "fraud-detector",
                 "version": 4, "traffic_role": "challenger", "rollout_id": 7, "rollout_revision": 3,
                 "api": "predict", "assignment_unit": "card-9",
                 "latency_ms": {"total": 3.5}, "error": "runtime_error"}
                """);

        assertThat(shadow.serving().shadow()).isTrue();
        assertThat(shadow.serving().rollout()).isEqualTo(7L);
        assertThat(shadow.serving().totalMs()).isNaN();
        assertThat(shadow.serving().inferenceMs()).isEqualTo(0.05);
        assertThat(older.serving()).isEqualTo(PredictionLog.Serving.UNKNOWN);
        assertThat(older.serving().shadow()).isFalse();
        assertThat(failed.serving().failed()).isTrue();
        assertThat(failed.serving().error()).isEqualTo("runtime_error");
        assertThat(failed.serving().unit()).isEqualTo("card-9");
        assertThat(failed.serving().revision()).isEqualTo(3);
        assertThat(oddUnit.serving().revision()).as("not an integer").isNull();
        assertThat(failed.columns()).isEmpty();
    }

    @Test
    void mapsAnOpenInferenceProtocolInputToTheBindingAndTakesTheSecondClass() {
        PredictionLog log = parse(
                """
                {"schema_version": 1, "request_id": "log-1", "time": "2026-11-26T02:34:40.112Z",
                 "model": "fraud-detector", "version": 2, "api": "oip",
                 "inputs": [{"name": "features", "datatype": "FP32", "shape": [2, 3], "data": [1, 2, 3, 4, 5, 6]}],
                 "outputs": [{"name": "probabilities", "shape": [2, 2], "data": [0.9, 0.1, 0.3, 0.7]}]}
                """);
        assertThat(log.columns()).containsOnlyKeys("a", "b", "c", "score");
        assertThat(log.columns().get("a")).containsExactly(1.0, 4.0);
        assertThat(log.columns().get("c")).containsExactly(3.0, 6.0);
        assertThat(log.columns().get("score")).containsExactly(0.1, 0.7);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''| not a JSON object",
                "[1]| not a JSON object",
                "{\"model\": \"m\"| not JSON",
                "{\"request_id\": \"r\", \"version\": 1, \"time\": \"2026-11-26T00:00:00Z\"}| model must be",
                "{\"model\": \"m\", \"request_id\": \"r\", \"version\": \"one\", \"time\": \"2026-11-26T00:00:00Z\"}"
                        + "| version must be a positive integer",
                "{\"model\": \"m\", \"request_id\": \"r\", \"version\": 1.5, \"time\": \"2026-11-26T00:00:00Z\"}"
                        + "| version must be a positive integer",
                "{\"model\": \"m\", \"request_id\": \"r\", \"version\": 1, \"time\": \"yesterday\"}| time is not",
                "{\"model\": \"m\", \"request_id\": \"r\", \"version\": 1, \"time\": \"2026-11-26T00:00:00Z\","
                        + " \"api\": \"predict\", \"features\": [1]}| features must be an array of objects",
                "{\"model\": \"m\", \"request_id\": \"r\", \"version\": 1, \"time\": \"2026-11-26T00:00:00Z\","
                        + " \"api\": \"predict\", \"features\": [{\"name\": \"x\", \"values\": 3}]}"
                        + "| features.values must be an array of numbers",
            })
    void namesWhatIsWrongWithAMalformedRecord(String json, String reason) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(PredictionLogParser.MalformedLogException.class)
                .hasMessageContaining(reason.strip());
    }
}
