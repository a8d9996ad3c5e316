package dev.sextant.contracts;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract of each Kafka topic's records: the JSON Schema beside its prose in {@code contracts/events/}
 * ({@code <topic>.schema.json}, Draft 2020-12, formats such as {@code date-time} asserted). A producer's tests check
 * every record it writes; a consumer's tests check every record they feed it, so both sides are held to one
 * definition instead of each to its own reading of the prose.
 */
public final class EventContracts {

    /** Every topic with a contract, by name as on the broker. */
    public static final List<String> TOPICS = List.of(
            "transactions.v1",
            "model-events.v1",
            "prediction-logs.v1",
            "labels.v1",
            "drift-alerts.v1",
            "retrain-requests.v1");

    private static final String ID_PREFIX = "https://sextant.dev/contracts/events/";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaIdResolvers(
                    resolvers -> resolvers.mapPrefix(ID_PREFIX, "classpath:dev/sextant/contracts/events/")));
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private EventContracts() {}

    /**
     * What is wrong with this record value for {@code topic}: one line per violation, each naming where in the record
     * (a JSON pointer such as {@code /outputs/0/shape}); empty when the record conforms.
     *
     * @throws IllegalArgumentException when {@code topic} has no contract
     */
    public static List<String> violations(String topic, String value) {
        Schema schema = schema(topic);
        JsonNode record;
        try {
            record = JSON.readTree(value);
        } catch (JacksonException e) {
            return List.of("not JSON: " + e.getOriginalMessage());
        }
        List<Error> errors = schema.validate(
                record, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
        return errors.stream()
                .map(error -> error.getInstanceLocation() + ": " + error.getMessage())
                .toList();
    }

    /** Fails (an {@link AssertionError} naming each violation and the record) unless the record conforms. */
    public static void assertConforms(String topic, String value) {
        List<String> violations = violations(topic, value);
        if (!violations.isEmpty()) {
            throw new AssertionError("a " + topic + " record breaks its contract (contracts/events/" + topic
                    + ".schema.json):\n  " + String.join("\n  ", violations) + "\nrecord: " + value);
        }
    }

    private static Schema schema(String topic) {
        if (!TOPICS.contains(topic)) {
            throw new IllegalArgumentException("no contract for topic " + topic + "; the topics are " + TOPICS);
        }
        return SCHEMAS.computeIfAbsent(
                topic, t -> REGISTRY.getSchema(SchemaLocation.of(ID_PREFIX + t + ".schema.json")));
    }
}
