package dev.sextant.prediction.shadow;

import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.logging.Traffic;
import java.util.function.Function;

/**
 * One request's shadow: the shadow version acquired for it, scored at most once. The request hands its work over
 * with {@link #submit} after its answer is made; {@link #close} (when the request ends, however it ends) releases
 * the version if the work was never handed over, so a request that failed leaves no reference behind.
 */
public final class ShadowRun implements AutoCloseable {

    /** The request of a model with no shadow, or not in the shadow's share. */
    public static final ShadowRun NONE = new ShadowRun(null, null, null);

    /** The shadowed request: its API, its id, the shadow's traffic, and how its failures are named. */
    record Request(String api, String id, Traffic traffic, Function<Throwable, String> outcomes) {}

    private final ShadowScoring scoring;
    private final Request request;
    private LoadedModel shadow;

    ShadowRun(ShadowScoring scoring, LoadedModel shadow, Request request) {
        this.scoring = scoring;
        this.shadow = shadow;
        this.request = request;
    }

    /** Whether this request is shadowed. */
    public boolean active() {
        return shadow != null;
    }

    /** Hands the shadow work over to the shadow threads; nothing when the request is not shadowed. */
    public void submit(ShadowScoring.Work work) {
        if (shadow == null) {
            return;
        }
        LoadedModel handed = shadow;
        shadow = null;
        scoring.submit(handed, request, work);
    }

    @Override
    public void close() {
        if (shadow != null) {
            shadow.release();
            shadow = null;
        }
    }
}
