package dev.sextant.prediction.api;

import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.catalog.ModelCatalog;
import dev.sextant.prediction.catalog.ModelNotFoundException;
import dev.sextant.prediction.runtime.ModelRunException;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * One request to a served model, the same way for every API: the version is acquired (the one named; else the
 * champion, or while a rollout runs the version its assignment gives the request's key), the request is timed by
 * API, model, version and outcome, and the version is released however the request ends.
 */
@Component
class ModelRequests {

    /** The traffic role of a request that named its version: no rollout assigns it. */
    static final String EXPLICIT_VERSION = "explicit_version";

    /** The version a request names (empty: the champion); refuses a name that is no version. */
    interface Version {
        Optional<Integer> get() throws ModelNotFoundException;
    }

    /** The work of a request, with the version in hand, its traffic role and the request's id. */
    interface Call<T> {
        T run(LoadedModel model, String trafficRole, String requestId) throws ModelRunException;
    }

    /** The value of a field of the request (an entity key or a request value), or null when it has none. */
    interface Fields {
        Object value(String field);
    }

    private final ModelCatalog catalog;
    private final InferenceMetrics metrics;

    ModelRequests(ModelCatalog catalog, InferenceMetrics metrics) {
        this.catalog = catalog;
        this.metrics = metrics;
    }

    /**
     * @param api {@link InferenceMetrics#OIP} or {@link InferenceMetrics#PREDICT}
     * @param offeredId the client's request id, checked here ({@link RequestIds}); a new one when null
     * @param fields the request's fields, one of which may be a rollout's assignment key
     * @param start when the request arrived ({@link System#nanoTime})
     */
    <T> T run(String api, String model, Version version, String offeredId, Fields fields, long start, Call<T> call)
            throws ModelNotFoundException, ModelRunException {
        String served = "none"; // tags never carry a client's unchecked text: bounded series
        try {
            Optional<Integer> wanted = version.get();
            String id = RequestIds.of(offeredId);
            ModelCatalog.Assigned assigned = wanted.isPresent()
                    ? new ModelCatalog.Assigned(catalog.acquire(model, wanted), EXPLICIT_VERSION)
                    : catalog.assign(model, field -> keyValue(model, fields, field, id));
            LoadedModel loaded = assigned.model();
            served = String.valueOf(loaded.version());
            try {
                T answer = call.run(loaded, assigned.role(), id);
                metrics.request(api, model, served, InferenceMetrics.OK, System.nanoTime() - start);
                return answer;
            } finally {
                loaded.release();
            }
        } catch (ModelNotFoundException | ModelRunException | RuntimeException e) {
            String tagged = catalog.models().containsKey(model) ? model : "(not served)";
            metrics.request(api, tagged, served, InferenceMetrics.outcome(e), System.nanoTime() - start);
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
