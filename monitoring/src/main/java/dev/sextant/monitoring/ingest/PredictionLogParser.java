package dev.sextant.monitoring.ingest;

import dev.sextant.monitoring.reference.ReferenceProfile;
import dev.sextant.monitoring.window.PredictionLog;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a {@code prediction-logs.v1} record (docs/events/prediction-logs.v1.md) into columns: a domain prediction's
 * bound features by name (with their defaulted flags); an Open Inference Protocol request's single
 * {@code [batch, n]} input mapped to the version's binding by column; the score from output {@code probability}
 * (else the first output), the second column of a two-class output.
 */
final class PredictionLogParser {

    /** A record that is not a prediction log monitoring can read. */
    static final class MalformedLogException extends RuntimeException {
        MalformedLogException(String message) {
            super(message);
        }
    }

    private final JsonMapper json;
    private final BiFunction<String, Integer, Optional<ReferenceProfile>> references;

    PredictionLogParser(JsonMapper json, BiFunction<String, Integer, Optional<ReferenceProfile>> references) {
        this.json = json;
        this.references = references;
    }

    PredictionLog parse(String value) {
        JsonNode log;
        try {
            log = json.readTree(value == null ? "" : value);
        } catch (JacksonException e) {
            throw new MalformedLogException("not JSON: " + e.getOriginalMessage());
        }
        if (log == null || !log.isObject()) {
            throw new MalformedLogException("not a JSON object");
        }
        String model = text(log, "model");
        String requestId = text(log, "request_id");
        if (!log.path("version").canConvertToInt() || log.path("version").intValue() < 1) {
            throw new MalformedLogException("version must be a positive integer");
        }
        int version = log.path("version").intValue();
        Instant time;
        try {
            time = Instant.parse(text(log, "time"));
        } catch (DateTimeParseException e) {
            throw new MalformedLogException("time is not an ISO-8601 instant");
        }
        Map<String, double[]> columns = new LinkedHashMap<>();
        Map<String, boolean[]> defaulted = new LinkedHashMap<>();
        if ("predict".equals(log.path("api").asString(""))) {
            for (JsonNode feature : log.path("features")) {
                String name = text(feature, "name");
                columns.put(name, numbers(feature.path("values"), name));
                JsonNode flags = feature.path("defaulted");
                boolean[] flagged = new boolean[flags.size()];
                for (int i = 0; i < flagged.length; i++) {
                    flagged[i] = flags.get(i).asBoolean(false);
                }
                defaulted.put(name, flagged);
            }
        } else {
            JsonNode inputs = log.path("inputs");
            Optional<ReferenceProfile> reference = references.apply(model, version);
            List<String> binding = reference.map(ReferenceProfile::features).orElse(List.of());
            if (inputs.size() == 1 && inputs.get(0).path("shape").size() == 2 && !binding.isEmpty()) {
                JsonNode input = inputs.get(0);
                int width = input.path("shape").get(1).intValue();
                if (width == binding.size()) {
                    double[] data = numbers(input.path("data"), "inputs[0].data");
                    int rows = data.length / Math.max(1, width);
                    for (int c = 0; c < width; c++) {
                        double[] column = new double[rows];
                        for (int r = 0; r < rows; r++) {
                            column[r] = data[r * width + c];
                        }
                        columns.put(binding.get(c), column);
                    }
                }
            }
        }
        score(log.path("outputs")).ifPresent(score -> columns.put(ReferenceProfile.SCORE, score));
        return new PredictionLog(requestId, time, model, version, columns, defaulted);
    }

    private Optional<double[]> score(JsonNode outputs) {
        JsonNode chosen = null;
        for (JsonNode output : outputs) {
            if (chosen == null || "probability".equals(output.path("name").asString(""))) {
                chosen = output;
            }
        }
        if (chosen == null || !chosen.path("data").isArray()) {
            return Optional.empty();
        }
        double[] data = numbers(chosen.path("data"), "outputs.data");
        JsonNode shape = chosen.path("shape");
        if (shape.size() == 2 && shape.get(1).intValue() == 2) {
            double[] positive = new double[data.length / 2];
            for (int r = 0; r < positive.length; r++) {
                positive[r] = data[2 * r + 1];
            }
            return Optional.of(positive);
        }
        return Optional.of(data);
    }

    private static double[] numbers(JsonNode array, String where) {
        if (!array.isArray()) {
            throw new MalformedLogException(where + " must be an array of numbers");
        }
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = array.get(i);
            if (value.isBoolean()) {
                values[i] = value.booleanValue() ? 1 : 0;
            } else if (value.isNumber()) {
                values[i] = value.doubleValue();
            } else {
                values[i] = Double.NaN;
            }
        }
        return values;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isString() || value.asString().isBlank()) {
            throw new MalformedLogException(field + " must be a non-empty string");
        }
        return value.asString();
    }
}
