package dev.sextant.prediction.inference;

import dev.sextant.prediction.api.InferenceMetrics;
import dev.sextant.prediction.api.ModelRequests;
import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.catalog.ModelCatalog;
import dev.sextant.prediction.catalog.ModelNotFoundException;
import dev.sextant.prediction.logging.PredictionLogPublisher;
import dev.sextant.prediction.logging.PredictionLogs;
import dev.sextant.prediction.logging.Traffic;
import dev.sextant.prediction.runtime.ModelRunException;
import dev.sextant.prediction.runtime.ModelSignature;
import dev.sextant.prediction.runtime.Tensor;
import dev.sextant.prediction.runtime.TensorSpec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol REST API (KServe "V2"): health, server and model metadata, model readiness and
 * inference. A model without a version is the version that holds the alias {@code champion}.
 */
@RestController
@Tag(name = "Open Inference Protocol", description = "KServe V2 inference API")
class InferenceController {

    static final String PLATFORM = "onnxruntime_onnx";

    /** The response parameter that says which part the version played: champion, challenger or explicit_version. */
    static final String ROLE = "role";

    private final ModelCatalog catalog;
    private final ModelRequests requests;
    private final InferenceMetrics metrics;
    private final PredictionLogPublisher logs;
    private final String serverVersion;

    InferenceController(
            ModelCatalog catalog,
            ModelRequests requests,
            InferenceMetrics metrics,
            PredictionLogPublisher logs,
            ObjectProvider<BuildProperties> build) {
        this.catalog = catalog;
        this.requests = requests;
        this.metrics = metrics;
        this.logs = logs;
        BuildProperties properties = build.getIfAvailable();
        this.serverVersion = properties == null ? "dev" : properties.getVersion();
    }

    @GetMapping("/v2/health/live")
    @Operation(summary = "Liveness: the server answers")
    InferenceMessages.Live live() {
        return new InferenceMessages.Live(true);
    }

    @GetMapping("/v2/health/ready")
    @Operation(
            summary = "Readiness: the server has loaded the versions the registry's aliases point to (503 until then)")
    ResponseEntity<InferenceMessages.Ready> ready() {
        boolean ready = catalog.reconciled();
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(new InferenceMessages.Ready(ready));
    }

    @GetMapping("/v2")
    @Operation(summary = "Server metadata")
    InferenceMessages.ServerMetadata server() {
        return new InferenceMessages.ServerMetadata("sextant-prediction-service", serverVersion, List.of());
    }

    @GetMapping({"/v2/models/{model}", "/v2/models/{model}/versions/{version}"})
    @Operation(summary = "Model metadata: versions served, platform, inputs and outputs")
    InferenceMessages.ModelMetadata metadata(@PathVariable String model, @PathVariable Optional<String> version)
            throws ModelNotFoundException {
        LoadedModel loaded = catalog.acquire(model, version(model, version));
        try {
            ModelSignature signature = loaded.runner().signature();
            ModelCatalog.Served served = catalog.models().get(model);
            // the model may have been unloaded since it was acquired: then only the version in hand is known
            List<String> versions = (served == null
                            ? Set.of(loaded.version())
                            : served.versions().keySet())
                    .stream().sorted().map(String::valueOf).toList();
            return new InferenceMessages.ModelMetadata(
                    model,
                    versions,
                    PLATFORM,
                    metadata(signature.inputs()),
                    metadata(signature.outputs()),
                    loaded.runner().executionProvider());
        } finally {
            loaded.release();
        }
    }

    @GetMapping({"/v2/models/{model}/ready", "/v2/models/{model}/versions/{version}/ready"})
    @Operation(
            summary = "Model readiness: 200 when loaded and ready to infer, 404 when not served; both say why the"
                    + " model's latest load failed, if it did")
    InferenceMessages.ModelReady modelReady(@PathVariable String model, @PathVariable Optional<String> version)
            throws ModelNotFoundException {
        catalog.acquire(model, version(model, version)).release();
        return new InferenceMessages.ModelReady(model, true, catalog.failures().get(model));
    }

    @PostMapping(
            path = {"/v2/models/{model}/infer", "/v2/models/{model}/versions/{version}/infer"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Run inference; inputs are checked against the model's signature before it runs",
            description = "While a rollout of the model runs, a request that names no version goes to the version"
                    + " that the value of the rollout's key among the request's parameters is assigned (by request id"
                    + " without it); the response's parameters.role says champion or challenger. A rollout's shadow"
                    + " scores its share of requests after the answer is made, never in it.")
    InferenceMessages.InferResponse infer(
            @PathVariable String model,
            @PathVariable Optional<String> version,
            @RequestBody InferenceMessages.InferRequest request,
            @RequestHeader(name = "traceparent", required = false) String traceparent)
            throws ModelNotFoundException, ModelRunException {
        long start = System.nanoTime();
        return requests.run(
                InferenceMetrics.OIP,
                model,
                () -> version(model, version),
                request.id(),
                field -> request.parameters() == null
                        ? null
                        : request.parameters().get(field),
                start,
                (loaded, traffic, id, shadow) -> {
                    ModelSignature signature = loaded.runner().signature();
                    List<Tensor> inputs = TensorCodec.inputs(signature, request.inputs());
                    Set<String> outputs = TensorCodec.outputs(signature, request.outputs());
                    Map<String, Tensor> result = run(loaded, inputs, outputs, id, traffic, traceparent, start);
                    // the shadow has the champion's signature (the registry checks it): the same checked inputs
                    shadow.submit(shadowVersion -> run(
                            shadowVersion, inputs, outputs, id, traffic.asShadow(), traceparent, System.nanoTime()));
                    return new InferenceMessages.InferResponse(
                            loaded.name(),
                            String.valueOf(loaded.version()),
                            id,
                            Map.of(ROLE, traffic.role()),
                            result.values().stream().map(TensorCodec::output).toList());
                });
    }

    /** A version's run on a request's checked inputs, timed and logged: the answer's, or its shadow's. */
    private Map<String, Tensor> run(
            LoadedModel loaded,
            List<Tensor> inputs,
            Set<String> outputs,
            String id,
            Traffic traffic,
            String traceparent,
            long received)
            throws ModelRunException {
        long start = System.nanoTime();
        Map<String, Tensor> result = loaded.runner().run(inputs, outputs);
        long inference = System.nanoTime() - start;
        metrics.inference(loaded.name(), String.valueOf(loaded.version()), inference);
        long total = System.nanoTime() - received;
        logs.publish(
                Traffic.SHADOW.equals(traffic.role())
                        ? PredictionLogs.ofShadow(
                                id,
                                loaded,
                                traffic,
                                "oip",
                                result.values(),
                                Map.of("total", total / 1e6, "inference", inference / 1e6),
                                traceparent)
                        : PredictionLogs.of(
                                id, loaded, traffic, inputs, result.values(), total, inference, traceparent));
        return result;
    }

    private static Optional<Integer> version(String model, Optional<String> version) throws ModelNotFoundException {
        if (version.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(version.get()));
        } catch (NumberFormatException e) {
            throw new ModelNotFoundException(
                    "model '" + model + "' has no version '" + version.get() + "'; versions are numbers");
        }
    }

    private static List<InferenceMessages.TensorMetadata> metadata(List<TensorSpec> specs) {
        return specs.stream()
                .map(spec -> new InferenceMessages.TensorMetadata(
                        spec.name(), spec.datatype().name(), spec.shape()))
                .toList();
    }
}
