package dev.sextant.prediction.predict;

import dev.sextant.prediction.api.InferenceError;
import dev.sextant.prediction.api.InferenceMetrics;
import dev.sextant.prediction.api.ModelRequests;
import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.catalog.ModelNotFoundException;
import dev.sextant.prediction.features.Assembled;
import dev.sextant.prediction.features.FeatureAssembler;
import dev.sextant.prediction.logging.PredictionLogPublisher;
import dev.sextant.prediction.logging.PredictionLogs;
import dev.sextant.prediction.logging.Traffic;
import dev.sextant.prediction.runtime.ModelRunException;
import dev.sextant.prediction.runtime.Tensor;
import dev.sextant.prediction.shadow.ShadowRun;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The domain API: entity keys and request values in, the model's scores out. The service reads the version's
 * bound online features itself (in-process, {@link FeatureAssembler}), so a caller never assembles tensors.
 */
@RestController
@Tag(name = "Prediction", description = "Domain API: score entities with a model's bound online features")
class PredictController {

    private final ModelRequests requests;
    private final FeatureAssembler assembler;
    private final InferenceMetrics metrics;
    private final PredictionLogPublisher logs;

    PredictController(
            ModelRequests requests, FeatureAssembler assembler, InferenceMetrics metrics, PredictionLogPublisher logs) {
        this.requests = requests;
        this.assembler = assembler;
        this.metrics = metrics;
        this.logs = logs;
    }

    @PostMapping(path = "/api/v1/predict/{model}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Score one row or a batch of rows with the model's champion (or a given version)",
            description = "Reads the model's bound online features for the entity keys, applies each feature's"
                    + " default where a value is missing or stale, runs the model and answers its outputs with the"
                    + " features that were defaulted. While a rollout of the model runs, a request that names no"
                    + " version goes to the version its key's value is assigned (the rollout's key among the"
                    + " entities or request values; a batch, and a row without it, by request id), and the answer's"
                    + " role says champion or challenger. A rollout's shadow scores its share of requests after the"
                    + " answer is made, never in it. Errors are problem details: 400 bad request, 404 model not"
                    + " served, 422 features cannot be assembled, 503 online store unavailable (fail policy).")
    PredictMessages.PredictResponse predict(
            @PathVariable String model,
            @Parameter(description = "a served version; the champion when absent") @RequestParam
                    Optional<Integer> version,
            @RequestBody PredictMessages.PredictRequest request,
            @RequestHeader(name = "traceparent", required = false) String traceparent)
            throws ModelNotFoundException, ModelRunException {
        long start = System.nanoTime();
        return requests.run(
                InferenceMetrics.PREDICT,
                model,
                () -> version,
                request.id(),
                field -> keyField(request, field),
                start,
                (loaded, traffic, id, shadow) ->
                        predict(loaded, request, new Scoring(id, traffic, traceparent, start), shadow));
    }

    /**
     * A rollout's key in a single row: an entity's join key, else a request value. A batch is one unit of
     * assignment, by its request id.
     */
    private static Object keyField(PredictMessages.PredictRequest request, String field) {
        if (request.rows() != null) {
            return null;
        }
        Object entity = request.entities() == null ? null : request.entities().get(field);
        if (entity != null) {
            return entity;
        }
        return request.request() == null ? null : request.request().get(field);
    }

    /** Who scores a request as what: the request's id, its traffic, trace context and arrival ({@code nanoTime}). */
    private record Scoring(String id, Traffic traffic, String traceparent, long received) {}

    private PredictMessages.PredictResponse predict(
            LoadedModel loaded, PredictMessages.PredictRequest request, Scoring scoring, ShadowRun shadow)
            throws ModelRunException {
        boolean batch = request.rows() != null;
        if (batch && (request.entities() != null || request.request() != null)) {
            throw InferenceError.badRequest("give either entities and request (one row) or rows (a batch), not both");
        }
        List<FeatureAssembler.Row> rows = batch
                ? request.rows().stream()
                        .map(row -> row == null
                                ? new FeatureAssembler.Row(null, null)
                                : new FeatureAssembler.Row(row.entities(), row.request()))
                        .toList()
                : List.of(new FeatureAssembler.Row(request.entities(), request.request()));
        String rowsField = batch ? "rows" : "";
        Assembled assembled = assembler.assemble(loaded, rows, rowsField);
        List<PredictMessages.Prediction> predictions = new ArrayList<>(assembled.rows());
        score(loaded, assembled, scoring, predictions, false);
        // the shadow reuses the answer's features when its binding is the same (and then logs none: they are the
        // answer's); else it reads and logs its own. It answers no one, so it builds no predictions
        shadow.submit(version -> {
            boolean reused = version.features().equals(loaded.features());
            score(
                    version,
                    reused ? assembled : assembler.assemble(version, rows, rowsField),
                    new Scoring(scoring.id(), scoring.traffic().asShadow(), scoring.traceparent(), System.nanoTime()),
                    null,
                    reused);
        });
        String role = scoring.traffic().role();
        if (batch) {
            return new PredictMessages.PredictResponse(
                    loaded.name(), loaded.version(), role, scoring.id(), assembled.degraded(), null, null, predictions);
        }
        PredictMessages.Prediction only = predictions.get(0);
        return new PredictMessages.PredictResponse(
                loaded.name(),
                loaded.version(),
                role,
                scoring.id(),
                assembled.degraded(),
                only.outputs(),
                only.defaulted(),
                null);
    }

    /**
     * Runs the version on the assembled rows, each run timed and logged.
     *
     * @param predictions where each row's prediction goes; null when no one is answered (a shadow)
     * @param answersFeatures whether the features are the answer's, logged with it: a shadow's log then has none
     */
    private void score(
            LoadedModel loaded,
            Assembled assembled,
            Scoring scoring,
            List<PredictMessages.Prediction> predictions,
            boolean answersFeatures)
            throws ModelRunException {
        // a model whose inputs take a fixed number of rows is run, and logged, once per row
        int step = assembled.batchable() ? assembled.rows() : 1;
        for (int from = 0; from < assembled.rows(); from += step) {
            int to = from + step;
            long runStart = System.nanoTime();
            Map<String, Tensor> result = loaded.runner()
                    .run(assembled.inputs(from, to), loaded.runner().signature().outputNames());
            long inference = System.nanoTime() - runStart;
            metrics.inference(loaded.name(), String.valueOf(loaded.version()), inference);
            if (predictions != null) {
                for (int row = from; row < to; row++) {
                    predictions.add(new PredictMessages.Prediction(
                            outputs(result, row - from, to - from),
                            assembled.defaulted().get(row)));
                }
            }
            Map<String, Double> latency = new LinkedHashMap<>();
            latency.put("total", (System.nanoTime() - scoring.received()) / 1e6);
            latency.put("features", assembled.readNanos() / 1e6);
            latency.put("inference", inference / 1e6);
            if (answersFeatures) {
                logs.publish(PredictionLogs.ofShadow(
                        scoring.id(),
                        loaded,
                        scoring.traffic(),
                        "predict",
                        result.values(),
                        latency,
                        scoring.traceparent()));
                continue;
            }
            logs.publish(PredictionLogs.ofDomain(
                    scoring.id(),
                    loaded,
                    scoring.traffic(),
                    slice(assembled.entityKeys(), from, to),
                    assembled.columnRefs(),
                    Arrays.asList(assembled.values()).subList(from, to),
                    assembled.defaulted().subList(from, to),
                    assembled.degraded(),
                    result.values(),
                    latency,
                    scoring.traceparent()));
        }
    }

    /**
     * One row's share of each output: a number when the row has one element, a map of label to value for a
     * classifier's probabilities, an array otherwise. An output that is not per row (its first dimension is not
     * the run's rows) is answered whole for every row.
     */
    static Map<String, Object> outputs(Map<String, Tensor> result, int row, int rows) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (Tensor tensor : result.values()) {
            Object values = tensor.datatype().jsonValues(tensor.values());
            int length = Array.getLength(values);
            boolean perRow = tensor.shape().length > 0 && tensor.shape()[0] == rows;
            int width = perRow ? length / rows : length;
            int offset = perRow ? row * width : 0;
            Object value;
            if (tensor.labels() != null && tensor.labels().size() == width) {
                Map<String, Object> byLabel = new LinkedHashMap<>();
                for (int i = 0; i < width; i++) {
                    byLabel.put(tensor.labels().get(i), Array.get(values, offset + i));
                }
                value = byLabel;
            } else if (width == 1) {
                value = Array.get(values, offset);
            } else {
                List<Object> elements = new ArrayList<>(width);
                for (int i = 0; i < width; i++) {
                    elements.add(Array.get(values, offset + i));
                }
                value = elements;
            }
            outputs.put(tensor.name(), value);
        }
        return outputs;
    }

    private static Map<String, List<Object>> slice(Map<String, List<Object>> columns, int from, int to) {
        Map<String, List<Object>> slice = new LinkedHashMap<>();
        columns.forEach((key, values) -> slice.put(key, values.subList(from, to)));
        return slice;
    }
}
