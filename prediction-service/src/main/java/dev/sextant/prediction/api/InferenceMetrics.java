package dev.sextant.prediction.api;

import dev.sextant.features.client.online.InvalidFeatureRequestException;
import dev.sextant.features.client.online.OnlineStoreUnavailableException;
import dev.sextant.prediction.batching.ModelOverloadedException;
import dev.sextant.prediction.catalog.ModelNotFoundException;
import dev.sextant.prediction.features.MissingFeatureException;
import dev.sextant.prediction.features.UnboundModelException;
import dev.sextant.prediction.runtime.ModelRunException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Per model and version: inference requests by outcome with their end-to-end latency
 * ({@code sextant.prediction.requests}), and the time spent in the runtime alone ({@code sextant.prediction.inference}).
 * Both are Prometheus histograms, for p99 objectives. Each timer is looked up once per tag set and kept: building
 * tags and finding the meter on every request cost several percent of the request path's CPU.
 */
@Component
public class InferenceMetrics {

    static final String OK = "ok";

    private final MeterRegistry meters;
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();

    InferenceMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public static final String OIP = "oip";
    public static final String PREDICT = "predict";

    /**
     * @param api {@link #OIP} (the Open Inference Protocol) or {@link #PREDICT} (the domain API)
     */
    void request(String api, String model, String version, String outcome, long nanos) {
        timers.computeIfAbsent(List.of("requests", api, model, version, outcome), key -> Timer.builder(
                                "sextant.prediction.requests")
                        .description(
                                "Prediction requests, end to end in the service, by API, model, version and outcome")
                        .tags("api", api, "model", model, "version", version, "outcome", outcome)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(50_000))
                        .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request assigned by its id because it lacks its model's rollout key. */
    void unkeyed(String model) {
        meters.counter("sextant.prediction.rollout.unkeyed", "model", model).increment();
    }

    public void inference(String model, String version, long nanos) {
        timers.computeIfAbsent(
                        List.of("inference", model, version), key -> Timer.builder("sextant.prediction.inference")
                                .description(
                                        "Time in the inference engine per request (the ONNX Runtime run, tensors included)")
                                .tags("model", model, "version", version)
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofNanos(50_000))
                                .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Whether a request that ended with this outcome was failed by its version rather than by its caller or a
     * dependency every version shares: the model failed to run, its batcher was full, its features could not be
     * assembled, or the service failed.
     */
    static boolean versionFailed(String outcome) {
        return switch (outcome) {
            case "runtime_error", "server_error", "overloaded", "features_unassembled" -> true;
            default -> false;
        };
    }

    /** The outcome tag of a request that ended with this exception. */
    static String outcome(Throwable failure) {
        if (failure instanceof InferenceError || failure instanceof InvalidFeatureRequestException) {
            return "bad_request";
        }
        if (failure instanceof ModelOverloadedException) {
            return "overloaded";
        }
        if (failure instanceof OnlineStoreUnavailableException) {
            return "features_unavailable";
        }
        if (failure instanceof UnboundModelException || failure instanceof MissingFeatureException) {
            return "features_unassembled";
        }
        if (failure instanceof ModelNotFoundException) {
            return "not_found";
        }
        if (failure instanceof ModelRunException) {
            return "runtime_error";
        }
        return "server_error";
    }
}
