package dev.sextant.monitoring.ingest;

import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.window.PredictionLog;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a {@code prediction-logs.v1} record (contracts/events/prediction-logs.v1.md) into columns: a domain prediction's
 * bound features by name (with their defaulted flags); an Open Inference Protocol request's single
 * {@code [batch, n]} input mapped to the version's binding by column; the score from output {@code probability}
 * (else the first output), the second column of a two-class output. It reads the record's bytes with Jackson's
 * streaming parser, in one pass and without building a tree: parsing is most of monitoring's work per log.
 */
public final class PredictionLogParser {

    /** The times a log may carry: what epoch milliseconds and ISO-8601's four-digit years both hold. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** A record that is not a prediction log monitoring can read. */
    public static final class MalformedLogException extends RuntimeException {
        MalformedLogException(String message) {
            super(message);
        }
    }

    private final JsonMapper json;
    private final BiFunction<String, Integer, Optional<ReferenceProfile>> references;

    public PredictionLogParser(JsonMapper json, BiFunction<String, Integer, Optional<ReferenceProfile>> references) {
        this.json = json;
        this.references = references;
    }

    public PredictionLog parse(byte[] value) {
        Fields fields = new Fields();
        try (JsonParser parser = json.createParser(value == null ? new byte[0] : value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedLogException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "model" -> fields.model = string(parser, token);
                    case "request_id" -> fields.requestId = string(parser, token);
                    case "time" -> fields.time = string(parser, token);
                    case "api" -> fields.api = string(parser, token);
                    case "version" -> fields.version = version(parser, token);
                    case "traffic_role" -> fields.role = string(parser, token);
                    case "rollout_id" -> fields.rollout = rollout(parser, token);
                    case "rollout_revision" -> fields.revision = revision(parser, token);
                    case "assignment_unit" -> fields.unit = string(parser, token);
                    case "latency_ms" -> fields.latency = latency(parser, token);
                    case "error" -> fields.error = string(parser, token);
                    case "features" -> fields.features = features(parser, token);
                    case "inputs" -> fields.inputs = tensors(parser, token, "inputs");
                    case "outputs" -> fields.outputs = tensors(parser, token, "outputs");
                    default -> parser.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new MalformedLogException("not JSON: " + e.getOriginalMessage());
        }
        return fields.log();
    }

    /** The fields of one record as they are read, in whatever order they come. */
    private final class Fields {
        String model;
        String requestId;
        String time;
        String api;
        int version;
        String role;
        Long rollout;
        Integer revision;
        String unit;
        String error;
        double[] latency = {Double.NaN, Double.NaN};
        List<Feature> features = List.of();
        List<Tensor> inputs = List.of();
        List<Tensor> outputs = List.of();

        PredictionLog log() {
            required(model, "model");
            required(requestId, "request_id");
            if (version < 1) {
                throw new MalformedLogException("version must be a positive integer");
            }
            Instant at;
            try {
                at = Instant.parse(required(time, "time"));
            } catch (DateTimeParseException e) {
                throw new MalformedLogException("time is not an ISO-8601 instant");
            }
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                throw new MalformedLogException("time " + time + " is outside the years 0001-9999");
            }
            Map<String, double[]> columns = new LinkedHashMap<>();
            Map<String, boolean[]> defaulted = new LinkedHashMap<>();
            if ("predict".equals(api)) {
                for (Feature feature : features) {
                    columns.put(feature.name(), feature.values());
                    defaulted.put(feature.name(), feature.defaulted());
                }
            } else if (inputs.size() == 1 && inputs.get(0).shape().length == 2) {
                Tensor input = inputs.get(0);
                if (input.data() == null) {
                    throw new MalformedLogException("inputs[0] has no data");
                }
                List<String> binding = references
                        .apply(model, version)
                        .map(ReferenceProfile::features)
                        .orElse(List.of());
                int width = input.shape()[1];
                if (!binding.isEmpty() && width == binding.size()) {
                    int rows = input.data().length / width;
                    for (int c = 0; c < width; c++) {
                        double[] column = new double[rows];
                        for (int r = 0; r < rows; r++) {
                            column[r] = input.data()[r * width + c];
                        }
                        columns.put(binding.get(c), column);
                    }
                }
            }
            score(outputs).ifPresent(score -> columns.put(ReferenceProfile.SCORE, score));
            return new PredictionLog(
                    requestId,
                    at,
                    model,
                    version,
                    columns,
                    defaulted,
                    new PredictionLog.Serving(role, rollout, revision, unit, latency[0], latency[1], error));
        }
    }

    private record Feature(String name, double[] values, boolean[] defaulted) {}

    private record Tensor(String name, int[] shape, double[] data) {}

    /** The score: output {@code probability}, else the first; of a two-class output, the second column. */
    private static Optional<double[]> score(List<Tensor> outputs) {
        Tensor chosen = null;
        for (Tensor output : outputs) {
            if (chosen == null || "probability".equals(output.name())) {
                chosen = output;
            }
        }
        if (chosen == null || chosen.data() == null) {
            return Optional.empty();
        }
        double[] data = chosen.data();
        if (chosen.shape().length == 2 && chosen.shape()[1] == 2) {
            double[] positive = new double[data.length / 2];
            for (int r = 0; r < positive.length; r++) {
                positive[r] = data[2 * r + 1];
            }
            return Optional.of(positive);
        }
        return Optional.of(data);
    }

    private static List<Feature> features(JsonParser parser, JsonToken token) {
        if (token != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return List.of();
        }
        List<Feature> features = new ArrayList<>();
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            objectExpected(item, "features");
            String name = null;
            double[] values = null;
            boolean[] defaulted = new boolean[0];
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "name" -> name = string(parser, value);
                    case "values" -> values = numbers(parser, value, "features.values");
                    case "defaulted" -> defaulted = flags(parser, value);
                    default -> parser.skipChildren();
                }
            }
            required(name, "name");
            if (values == null) {
                throw new MalformedLogException(name + " values must be an array of numbers");
            }
            features.add(new Feature(name, values, defaulted));
        }
        return features;
    }

    private static List<Tensor> tensors(JsonParser parser, JsonToken token, String where) {
        if (token != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return List.of();
        }
        List<Tensor> tensors = new ArrayList<>();
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            objectExpected(item, where);
            String name = "";
            int[] shape = new int[0];
            double[] data = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "name" -> name = value == JsonToken.VALUE_STRING ? parser.getString() : "";
                    case "shape" -> shape = shape(parser, value);
                    case "data" -> data = numbers(parser, value, where + ".data");
                    default -> parser.skipChildren();
                }
            }
            tensors.add(new Tensor(name, shape, data));
        }
        return tensors;
    }

    /** An array's numbers: {@code true}/{@code false} as 1/0, anything else (null, a string) as NaN. */
    private static double[] numbers(JsonParser parser, JsonToken token, String where) {
        if (token != JsonToken.START_ARRAY) {
            throw new MalformedLogException(where + " must be an array of numbers");
        }
        double[] values = new double[8];
        int size = 0;
        for (JsonToken value = parser.nextToken(); value != JsonToken.END_ARRAY; value = parser.nextToken()) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = switch (value) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                case VALUE_TRUE -> 1;
                case VALUE_FALSE -> 0;
                default -> {
                    parser.skipChildren();
                    yield Double.NaN;
                }
            };
        }
        return Arrays.copyOf(values, size);
    }

    private static boolean[] flags(JsonParser parser, JsonToken token) {
        if (token != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return new boolean[0];
        }
        boolean[] flags = new boolean[8];
        int size = 0;
        for (JsonToken value = parser.nextToken(); value != JsonToken.END_ARRAY; value = parser.nextToken()) {
            if (size == flags.length) {
                flags = Arrays.copyOf(flags, size * 2);
            }
            flags[size++] = value == JsonToken.VALUE_TRUE;
            parser.skipChildren();
        }
        return Arrays.copyOf(flags, size);
    }

    private static int[] shape(JsonParser parser, JsonToken token) {
        double[] dimensions = numbers(parser, token, "shape");
        int[] shape = new int[dimensions.length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (int) dimensions[i];
        }
        return shape;
    }

    /** A rollout id: a positive integer, else (a log that is not a rollout's) null. */
    private static Long rollout(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            long id = parser.getLongValue();
            return id > 0 ? id : null;
        }
        parser.skipChildren();
        return null;
    }

    /** A rollout revision: a positive integer, else (absent or not one) null. */
    private static Integer revision(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
            int revision = parser.getIntValue();
            return revision > 0 ? revision : null;
        }
        parser.skipChildren();
        return null;
    }

    /** {@code latency_ms}'s {@code total} and {@code inference}, NaN where absent or not a number. */
    private static double[] latency(JsonParser parser, JsonToken token) {
        double[] latency = {Double.NaN, Double.NaN};
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return latency;
        }
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                parser.skipChildren();
                continue;
            }
            switch (name) {
                case "total" -> latency[0] = parser.getDoubleValue();
                case "inference" -> latency[1] = parser.getDoubleValue();
                default -> {}
            }
        }
        return latency;
    }

    private static int version(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            double version = parser.getDoubleValue();
            return version == Math.rint(version) && version <= Integer.MAX_VALUE ? (int) version : -1;
        }
        parser.skipChildren();
        return -1;
    }

    /** A string value, or null (and its children skipped) when it is not one. */
    private static String string(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_STRING) {
            return parser.getString();
        }
        parser.skipChildren();
        return null;
    }

    private static void objectExpected(JsonToken token, String where) {
        if (token != JsonToken.START_OBJECT) {
            throw new MalformedLogException(where + " must be an array of objects");
        }
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new MalformedLogException(field + " must be a non-empty string");
        }
        return value;
    }
}
