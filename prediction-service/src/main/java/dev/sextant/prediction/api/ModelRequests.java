package dev.sextant.prediction.api;

import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.catalog.ModelCatalog;
import dev.sextant.prediction.catalog.ModelNotFoundException;
import dev.sextant.prediction.runtime.ModelRunException;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * One request to a served model, the same way for every API: the version is acquired (the champion, or the one
 * named), the request is timed by API, model, version and outcome, and the version is released however the
 * request ends.
 */
@Component
class ModelRequests {

    /** The version a request names (empty: the champion); refuses a name that is no version. */
    interface Version {
        Optional<Integer> get() throws ModelNotFoundException;
    }

    /** The work of a request, with the version in hand and its traffic role. */
    interface Call<T> {
        T run(LoadedModel model, String trafficRole) throws ModelRunException;
    }

    private final ModelCatalog catalog;
    private final InferenceMetrics metrics;

    ModelRequests(ModelCatalog catalog, InferenceMetrics metrics) {
        this.catalog = catalog;
        this.metrics = metrics;
    }

    /**
     * @param api {@link InferenceMetrics#OIP} or {@link InferenceMetrics#PREDICT}
     * @param start when the request arrived ({@link System#nanoTime})
     */
    <T> T run(String api, String model, Version version, long start, Call<T> call)
            throws ModelNotFoundException, ModelRunException {
        String served = "none"; // tags never carry a client's unchecked text: bounded series
        try {
            Optional<Integer> wanted = version.get();
            LoadedModel loaded = catalog.acquire(model, wanted);
            served = String.valueOf(loaded.version());
            try {
                T answer = call.run(loaded, wanted.isEmpty() ? ModelCatalog.DEFAULT_ALIAS : "explicit_version");
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
}
