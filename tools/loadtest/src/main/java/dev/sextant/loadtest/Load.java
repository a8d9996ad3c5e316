package dev.sextant.loadtest;

import io.netty.buffer.Unpooled;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends HTTP requests and measures their latency, in one of two ways (as Triton's perf_analyzer does):
 *
 * <ul>
 *   <li><b>open loop</b>: requests start at a constant arrival rate whatever the answers do, and each latency is
 *       measured from the request's <i>scheduled</i> start, so a server that stalls is charged for every request
 *       that should have started meanwhile (no coordinated omission);
 *   <li><b>closed loop</b>: N clients each send their next request when the last answer arrives; the rate is what
 *       the server sustains at that concurrency.
 * </ul>
 *
 * The client's event loops start before the run. Requests of the warm-up are sent and answered but not recorded. Latencies go into HdrHistogram recorders, read
 * once a second for the latency-over-time series and summed for the run. Requests go over Reactor Netty with a
 * bounded pool of keep-alive connections; a request that waits for a connection is still timed from its schedule.
 */
final class Load implements AutoCloseable {

    /** One request: a POST of {@code body} to {@code url} with {@code headers}. */
    record Call(String url, Map<String, String> headers, byte[] body) {}

    /** The requests of a run, drawn one at a time by the thread that sends them. */
    interface Calls {
        Call next();
    }

    /** One second of a run: requests answered, latency percentiles in milliseconds, failures. */
    record Second(int second, long answered, double p50, double p99, double max, long failed) {}

    /**
     * A run's measurement (the warm-up excluded).
     *
     * @param offeredRate the open loop's arrival rate (0 for a closed loop)
     * @param concurrency the closed loop's clients (0 for an open loop)
     * @param latency every answered request's latency in microseconds, failures included
     * @param errors failures by kind: {@code HTTP 503}, {@code timeout}, {@code connection refused}, …
     * @param succeeded the latencies of the 2xx answers alone
     * @param refused the latencies of the refusals alone (503 and 429: the platform shedding load)
     */
    record Result(
            double offeredRate,
            int concurrency,
            double seconds,
            long sent,
            long answered,
            Map<String, Long> errors,
            Histogram latency,
            List<Second> timeline,
            Histogram succeeded,
            Histogram refused) {

        /** A run with no answer told apart (the tests' windows). */
        Result(
                double offeredRate,
                int concurrency,
                double seconds,
                long sent,
                long answered,
                Map<String, Long> errors,
                Histogram latency,
                List<Second> timeline) {
            this(
                    offeredRate,
                    concurrency,
                    seconds,
                    sent,
                    answered,
                    errors,
                    latency,
                    timeline,
                    latency,
                    new Histogram(3));
        }

        /** Refusals (503 and 429) among the failures. */
        long refusals() {
            return refused.getTotalCount();
        }

        long failed() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        double errorRate() {
            return sent == 0 ? 0 : (double) failed() / sent;
        }

        double achievedRate() {
            return answered / seconds;
        }

        /** A latency percentile in milliseconds. */
        double millis(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxMillis() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
        }
    }

    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(2);

    private final HttpClient client;
    private final ConnectionProvider pool;

    Load(int maxConnections, Duration timeout) {
        this.pool = ConnectionProvider.builder("loadtest")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(timeout)
                .build();
        this.client = HttpClient.create(pool).responseTimeout(timeout).keepAlive(true);
        // The event loops, the native transport and the resolver start now, not under the first scheduled request:
        // an open loop charges a stall of the sender to every request due during it.
        client.warmup().block(timeout);
    }

    /** An open loop: {@code rate} requests a second for {@code warmup} (not recorded), then {@code measure}. */
    Result open(Calls calls, double rate, Duration warmup, Duration measure) {
        Run run = new Run(warmup);
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime() + 5_000_000;
        long end = start + warmup.toNanos() + measure.toNanos();
        run.begin(start);
        for (long i = 0; ; i++) {
            long scheduled = start + i * interval;
            if (scheduled >= end) {
                break;
            }
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send(calls.next(), scheduled, run);
        }
        return run.finish(rate, 0, measure);
    }

    /** A closed loop: {@code concurrency} clients, each sending its next request when it has its answer. */
    Result closed(Calls calls, int concurrency, Duration warmup, Duration measure) {
        Run run = new Run(warmup);
        long start = System.nanoTime();
        long end = start + warmup.toNanos() + measure.toNanos();
        run.begin(start);
        for (int c = 0; c < concurrency; c++) {
            client(calls, end, run);
        }
        LockSupport.parkNanos(end - System.nanoTime());
        return run.finish(0, concurrency, measure);
    }

    private void client(Calls calls, long end, Run run) {
        long now = System.nanoTime();
        if (now >= end) {
            return;
        }
        Call call;
        synchronized (calls) {
            call = calls.next();
        }
        send(call, now, run, () -> client(calls, end, run));
    }

    private void send(Call call, long scheduled, Run run) {
        send(call, scheduled, run, null);
    }

    private void send(Call call, long scheduled, Run run, Runnable then) {
        run.started(scheduled);
        client.headers(headers -> {
                    call.headers().forEach(headers::set);
                    headers.set("Content-Length", call.body().length);
                })
                .post()
                .uri(call.url())
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(call.body())))
                .responseSingle((response, body) -> body.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> response.status().code()))
                .subscribe(
                        status -> {
                            run.answered(scheduled, status);
                            if (then != null) {
                                then.run();
                            }
                        },
                        error -> {
                            run.failed(scheduled, kind(error));
                            if (then != null) {
                                then.run();
                            }
                        });
    }

    static String kind(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof ConnectException || cause instanceof TimeoutException) {
                break;
            }
            cause = cause.getCause();
        }
        String name = cause.getClass().getSimpleName();
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof TimeoutException || name.contains("Timeout")) {
            return "timeout";
        }
        if (error instanceof PrematureCloseException || cause instanceof PrematureCloseException) {
            return "connection closed";
        }
        return name;
    }

    /** The counters and recorders of one run. */
    private static final class Run {

        private final long warmupNanos;
        private final Recorder recorder = new Recorder(MAX_MICROS, 3);
        private final Recorder succeeded = new Recorder(MAX_MICROS, 3);
        private final Recorder refused = new Recorder(MAX_MICROS, 3);
        private final Histogram total = new Histogram(MAX_MICROS, 3);
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        private final LongAdder sent = new LongAdder();
        private final LongAdder answered = new LongAdder();
        private final AtomicLong inFlight = new AtomicLong();
        private final List<Second> timeline = new ArrayList<>();
        private final Map<Integer, LongAdder> failedBySecond = new ConcurrentHashMap<>();
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "loadtest-ticker");
            thread.setDaemon(true);
            return thread;
        });
        private long measuredFrom;
        private Histogram interval;

        Run(Duration warmup) {
            this.warmupNanos = warmup.toNanos();
        }

        void begin(long start) {
            measuredFrom = start + warmupNanos;
            long delay = Math.max(0, measuredFrom - System.nanoTime());
            ticker.scheduleAtFixedRate(this::tick, delay + 1_000_000_000L, 1_000_000_000L, TimeUnit.NANOSECONDS);
        }

        void started(long scheduled) {
            inFlight.incrementAndGet();
            if (scheduled >= measuredFrom) {
                sent.increment();
            }
        }

        /** An HTTP answer: 2xx succeeded, 503 and 429 refused, anything else failed. */
        void answered(long scheduled, int status) {
            boolean ok = status >= 200 && status < 300;
            Recorder apart = ok ? succeeded : status == 503 || status == 429 ? refused : null;
            record(scheduled, ok ? null : "HTTP " + status, apart);
        }

        /** No HTTP answer: a timeout, a refused or closed connection. */
        void failed(long scheduled, String error) {
            record(scheduled, error, null);
        }

        private void record(long scheduled, String error, Recorder apart) {
            long now = System.nanoTime();
            try {
                if (scheduled < measuredFrom) {
                    return;
                }
                long micros = Math.min(MAX_MICROS, Math.max(1, (now - scheduled) / 1_000));
                recorder.recordValue(micros);
                if (apart != null) {
                    apart.recordValue(micros);
                }
                answered.increment();
                if (error != null) {
                    errors.computeIfAbsent(error, kind -> new LongAdder()).increment();
                    failedBySecond
                            .computeIfAbsent((int) ((now - measuredFrom) / 1_000_000_000L), second -> new LongAdder())
                            .increment();
                }
            } finally {
                // Last: the run's end waits for no request in flight, and then reads these counts.
                inFlight.decrementAndGet();
            }
        }

        private synchronized void tick() {
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
            int second = timeline.size();
            LongAdder failed = failedBySecond.get(second);
            timeline.add(new Second(
                    second + 1,
                    interval.getTotalCount(),
                    interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(50) / 1000.0,
                    interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99) / 1000.0,
                    interval.getTotalCount() == 0 ? 0 : interval.getMaxValue() / 1000.0,
                    failed == null ? 0 : failed.sum()));
        }

        Result finish(double rate, int concurrency, Duration measure) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            ticker.shutdownNow();
            synchronized (this) {
                interval = recorder.getIntervalHistogram(interval);
                total.add(interval);
            }
            Map<String, Long> failures = new TreeMap<>();
            errors.forEach((kind, count) -> failures.put(kind, count.sum()));
            long unanswered = sent.sum() - answered.sum();
            if (unanswered > 0) {
                failures.put("no answer within the run", unanswered);
            }
            return new Result(
                    rate,
                    concurrency,
                    measure.toNanos() / 1e9,
                    sent.sum(),
                    answered.sum(),
                    failures,
                    total.copy(),
                    List.copyOf(timeline),
                    succeeded.getIntervalHistogram(),
                    refused.getIntervalHistogram());
        }
    }

    @Override
    public void close() {
        pool.disposeLater().block(Duration.ofSeconds(5));
    }
}
