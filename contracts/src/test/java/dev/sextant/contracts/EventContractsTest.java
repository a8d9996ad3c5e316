package dev.sextant.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each topic's schema agrees with its prose: every example the prose shows conforms, and records that break what
 * the prose says (a field missing, null, of the wrong type or out of its range) do not.
 */
class EventContractsTest {

    static final Path EVENTS = Path.of("events");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> TOPICS = EventContracts.TOPICS;

    @Test
    void everyTopicDescribedHasASchemaAndEverySchemaAProse() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            List<String> names =
                    files.map(file -> file.getFileName().toString()).sorted().toList();
            List<String> expected = new ArrayList<>();
            TOPICS.forEach(topic -> expected.addAll(List.of(topic + ".md", topic + ".schema.json")));
            assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @ParameterizedTest
    @FieldSource("TOPICS")
    void everyExampleInTheProseConforms(String topic) throws IOException {
        List<JsonNode> examples = examples(topic);
        assertThat(examples).as("examples in %s.md", topic).isNotEmpty();
        for (JsonNode example : examples) {
            assertThat(EventContracts.violations(topic, example.toString()))
                    .as("%s", example)
                    .isEmpty();
        }
    }

    @Test
    void aPredictionLogMustSayWhatAnsweredAndHowLong() throws IOException {
        String topic = "prediction-logs.v1";
        JsonNode log = examples(topic).get(0);
        assertBroken(topic, without(log, "request_id"), "request_id");
        assertBroken(topic, with(log, "version", "\"2\""), "/version");
        assertBroken(topic, with(log, "traffic_role", "\"primary\""), "/traffic_role");
        assertBroken(topic, with(log, "time", "\"yesterday\""), "/time");
        assertBroken(topic, with(log, "trace_id", "null"), "/trace_id");
        assertBroken(topic, without(log, "outputs"), "outputs");
        assertBroken(topic, with(log, "error", "\"runtime_error\""), "");
        assertBroken(topic, with(log, "rollout_revision", "3"), "rollout_id");
        assertBroken(topic, with(log, "features", "[]"), "");
        assertThat(EventContracts.violations(topic, with(log, "a_field_added_within_v1", "7")))
                .isEmpty();
    }

    @Test
    void aModelEventCarriesWhatItsTypeNeeds() throws IOException {
        String topic = "model-events.v1";
        JsonNode registered = examples(topic).get(0);
        assertBroken(topic, without(registered, "sha256"), "sha256");
        assertBroken(topic, with(registered, "type", "\"VERSION_DELETED\""), "/type");
        assertBroken(topic, with(registered, "event_id", "\"not-a-uuid\""), "/event_id");
        JsonNode rollout = examples(topic).get(4);
        assertBroken(topic, without(rollout, "rollout"), "rollout");
        String challengerFirst = rollout.toString().replace("\"role\":\"champion\"", "\"role\":\"first\"");
        assertThat(EventContracts.violations(topic, challengerFirst)).isNotEmpty();
    }

    @Test
    void aTransactionALabelAndARetrainRequestNeedTheirKeysAndTimes() throws IOException {
        JsonNode transaction = examples("transactions.v1").get(0);
        assertBroken("transactions.v1", without(transaction, "card_id"), "card_id");
        assertBroken("transactions.v1", with(transaction, "event_time", "\"noon\""), "/event_time");
        assertThat(EventContracts.violations("transactions.v1", with(transaction, "event_time", "1763812800000")))
                .isEmpty();
        JsonNode label = examples("labels.v1").get(0);
        assertBroken("labels.v1", with(label, "label", "2"), "/label");
        assertBroken("labels.v1", with(label, "entities", "{}"), "/entities");
        JsonNode request = examples("retrain-requests.v1").get(0);
        assertBroken("retrain-requests.v1", without(request, "reason"), "reason");
        assertBroken("retrain-requests.v1", with(request, "idempotency_key", "\"" + "k".repeat(201) + "\""), "");
        JsonNode alert = examples("drift-alerts.v1").get(0);
        assertBroken("drift-alerts.v1", with(alert, "severity", "\"critical\""), "/severity");
    }

    @Test
    void notJsonAndUnknownTopicsAreNamed() {
        assertThat(EventContracts.violations("labels.v1", "{not json"))
                .singleElement()
                .asString()
                .startsWith("not JSON");
        assertThatThrownBy(() -> EventContracts.violations("payments.v1", "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no contract for topic payments.v1");
        assertThatThrownBy(() -> EventContracts.assertConforms("labels.v1", "{}"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("labels.v1.schema.json")
                .hasMessageContaining("event_id");
    }

    static void assertBroken(String topic, String record, String named) {
        assertThat(EventContracts.violations(topic, record))
                .as(record)
                .isNotEmpty()
                .anySatisfy(violation -> assertThat(violation).contains(named));
    }

    static String without(JsonNode record, String field) {
        ObjectNode copy = (ObjectNode) record.deepCopy();
        copy.remove(field);
        return copy.toString();
    }

    static String with(JsonNode record, String field, String json) {
        ObjectNode copy = (ObjectNode) record.deepCopy();
        copy.set(field, JSON.readTree(json));
        return copy.toString();
    }

    /** The JSON records in the prose's {@code json} blocks (a block may hold several, one after another). */
    static List<JsonNode> examples(String topic) throws IOException {
        String prose = Files.readString(EVENTS.resolve(topic + ".md"));
        Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(prose);
        List<JsonNode> records = new ArrayList<>();
        while (block.find()) {
            try (var values = JSON.readerFor(JsonNode.class).readValues(block.group(1))) {
                values.forEachRemaining(value -> records.add((JsonNode) value));
            }
        }
        return records;
    }
}
