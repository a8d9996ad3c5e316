package dev.sextant.prediction.api;

import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.catalog.ModelCatalog;
import dev.sextant.prediction.catalog.ModelNotFoundException;
import dev.sextant.prediction.logging.PredictionLogPublisher;
import dev.sextant.prediction.logging.PredictionLogs;
import dev.sextant.prediction.logging.Traffic;
import dev.sextant.prediction.runtime.ModelRunException;
import dev.sextant.prediction.shadow.ShadowRun;
import dev.sextant.prediction.shadow.ShadowScoring;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * One request to a served model, the same way for every API: the version is acquired (the one named; else the
 * champion, or while a rollout runs the version its assignment gives the request's key, and the rollout's shadow
 * when it scores that key), the request is timed by API, model, version and outcome, and the versions are released
 * however the request ends. A request a rollout assigned that its version fails is logged with the failure, as the
 * rollout's evidence of that version's errors.
 */
@Component
public class ModelRequests {

    /** The traffic role of a request that named its version: no rollout assigns it. */
    static final String EXPLICIT_VERSION = "explicit_version";

    /** The version a request names (empty: the champion); refuses a name that is no version. */
    public interface Version {
        Optional<Integer> get() throws ModelNotFoundException;
    }

    /**
     * The work of a request, with the version in hand, who it serves the request as and the request's id; when the
     * request is shadowed, it hands the shadow its work once its answer is made.
     */
    public interface Call<T> {
        public T run(LoadedModel model, Traffic traffic, String requestId, ShadowRun shadow) throws ModelRunException;
    }

    /** The value of a field of the request (an entity key or a request value), or null when it has none. */
    public interface Fields {
        Object value(String field);
    }

    private final ModelCatalog catalog;
    private final InferenceMetrics metrics;
    private final ShadowScoring shadows;
    private final PredictionLogPublisher logs;

    ModelRequests(ModelCatalog catalog, InferenceMetrics metrics, ShadowScoring shadows, PredictionLogPublisher logs) {
        this.catalog = catalog;
        this.metrics = metrics;
        this.shadows = shadows;
        this.logs = logs;
    }

    /**
     * @param api {@link InferenceMetrics#OIP} or {@link InferenceMetrics#PREDICT}
     * @param offeredId the client's request id, checked here ({@link RequestIds}); a new one when null
     * @param fields the request's fields, one of which may be a rollout's assignment key
     * @param start when the request arrived ({@link System#nanoTime})
     */
    public <T> T run(
            String api, String model, Version version, String offeredId, Fields fields, long start, Call<T> call)
            throws ModelNotFoundException, ModelRunException {
        String served = "none"; // tags never carry a client's unchecked text: bounded series
        ModelCatalog.Assigned assigned = null;
        String id = null;
        try {
            Optional<Integer> wanted = version.get();
            String requestId = RequestIds.of(offeredId);
            id = requestId;
            assigned = wanted.isPresent()
                    ? new ModelCatalog.Assigned(
                            catalog.acquire(model, wanted), EXPLICIT_VERSION, null, null, null, null)
                    : catalog.assign(model, field -> keyValue(model, fields, field, requestId));
            LoadedModel loaded = assigned.model();
            served = String.valueOf(loaded.version());
            Traffic traffic = Traffic.of(assigned);
            try (ShadowRun shadow =
                    shadows.open(assigned.shadow(), api, requestId, traffic.asShadow(), InferenceMetrics::outcome)) {
                T answer = call.run(loaded, traffic, requestId, shadow);
                metrics.request(api, model, served, InferenceMetrics.OK, System.nanoTime() - start);
                return answer;
            } finally {
                loaded.release();
            }
        } catch (ModelNotFoundException | ModelRunException | RuntimeException e) {
            String tagged = catalog.models().containsKey(model) ? model : "(not served)";
            String outcome = InferenceMetrics.outcome(e);
            long nanos = System.nanoTime() - start;
            metrics.request(api, tagged, served, outcome, nanos);
            if (assigned != null && assigned.rollout() != null && InferenceMetrics.versionFailed(outcome)) {
                // a rollout's evidence of the version's errors: the version failed a request the champion could take
                logs.publish(
                        PredictionLogs.ofError(id, assigned.model(), Traffic.of(assigned), api, outcome, nanos, null));
            }
            throw e;
        }
    }

    /**
     * What assigns a request while a rollout runs: the value of the rollout's key field as text (a JSON string as
     * it is, a number in its shortest form), or the request id when the rollout names no key or the request lacks
     * it; counted, so a rollout whose key its requests do not carry shows.
     */
    private String keyValue(String model, Fields fields, String field, String id) {
        if (field == null) {
            return id;
        }
        Object value = fields.value(field);
        if (value == null) {
            metrics.unkeyed(model);
            return id;
        }
        return value.toString();
    }
}
