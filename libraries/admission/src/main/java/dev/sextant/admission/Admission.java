package dev.sextant.admission;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A service's adaptive concurrency limit: a request takes a {@link Permit} before its work and gives it back when
 * answered, or is refused at once when the service already works on as many as the limit allows. Work beyond
 * capacity is refused fast rather than queued, so the requests admitted keep their latency, and an overload ends
 * when it ends instead of draining a queue for seconds after. Metrics: {@code sextant.admission.limit},
 * {@code sextant.admission.inflight}, {@code sextant.admission.refused}.
 */
public final class Admission implements MeterBinder {

    private final String service;
    private final AdmissionProperties properties;
    private final SimpleLimiter<Void> limiter;
    private volatile Counter refused;

    /** The limit of {@code service} (its name in refusals). */
    public Admission(String service, AdmissionProperties properties) {
        this.service = service;
        this.properties = properties;
        this.limiter = SimpleLimiter.newBuilder()
                .named("sextant")
                .limit(Gradient2Limit.newBuilder()
                        .initialLimit(properties.initialLimit())
                        .minLimit(properties.minLimit())
                        .maxConcurrency(properties.maxLimit())
                        .rttTolerance(properties.rttTolerance())
                        .build())
                .build();
    }

    /** Whether requests to this path take a permit (health and metrics never do). */
    public boolean guards(String path) {
        return properties.admits(path);
    }

    /** How long a refused client is asked to wait ({@code Retry-After}). */
    public java.time.Duration retryAfter() {
        return properties.retryAfter();
    }

    /** A permit for one request, or empty (and counted) when the service is at its limit. */
    public Optional<Permit> tryAcquire() {
        Optional<Limiter.Listener> listener = limiter.acquire(null);
        if (listener.isEmpty()) {
            Counter counter = refused;
            if (counter != null) {
                counter.increment();
            }
            return Optional.empty();
        }
        return Optional.of(new Permit(listener.get()));
    }

    public int limit() {
        return limiter.getLimit();
    }

    public int inflight() {
        return limiter.getInflight();
    }

    /** The detail of a refusal's problem: what the limit is and when to come back. */
    public String refusal() {
        return service + " is at its concurrency limit (" + limit() + " requests in flight); retry in "
                + properties.retryAfter().toSeconds() + " s";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sextant.admission.limit", this, Admission::limit)
                .description("Requests the service works on at once at most (adaptive)")
                .register(registry);
        Gauge.builder("sextant.admission.inflight", this, Admission::inflight)
                .description("Requests the service works on now")
                .register(registry);
        refused = Counter.builder("sextant.admission.refused")
                .description("Requests refused at once (503) because the service was at its concurrency limit")
                .register(registry);
    }

    /** One admitted request's place under the limit, given back once (later calls do nothing). */
    public static final class Permit {

        private final Limiter.Listener listener;
        private final AtomicBoolean returned = new AtomicBoolean();

        Permit(Limiter.Listener listener) {
            this.listener = listener;
        }

        /**
         * The request was answered with this status: its latency teaches the limit, unless it failed (5xx), whose
         * latency says nothing about the service's capacity.
         */
        public void answered(int status) {
            if (!returned.compareAndSet(false, true)) {
                return;
            }
            if (status >= 500) {
                listener.onIgnore();
            } else {
                listener.onSuccess();
            }
        }

        /** The request ended without an answer of its own (an exception, a cancelled exchange). */
        public void abandoned() {
            if (returned.compareAndSet(false, true)) {
                listener.onIgnore();
            }
        }
    }
}
