package dev.sextant.prediction.shadow;

import dev.sextant.prediction.PredictionProperties;
import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.logging.PredictionLog;
import dev.sextant.prediction.logging.PredictionLogPublisher;
import dev.sextant.prediction.logging.PredictionLogs;
import dev.sextant.prediction.logging.Traffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where a rollout's shadow version scores requests: a fixed pool of {@code sextant.prediction.shadow.threads}
 * behind a queue of {@code queue-capacity}. A request hands its shadow work over once its own answer is made and goes
 * on; when the queue is full the work is dropped at once and counted, so a shadow never holds a request, never
 * queues without bound and never takes more than its threads' share of the machine. Each scoring is counted by
 * outcome ({@code sextant.prediction.shadow}: scored, failed, dropped; a failure is also a prediction log with its
 * error, the rollout's evidence), and the CPU its thread spent is added up
 * ({@code sextant.prediction.shadow.cpu}, seconds), so a shadow's own cost is visible beside the requests'.
 */
@Component
public class ShadowScoring {

    /** What a shadow does with its version, on a shadow thread: score and log. */
    @FunctionalInterface
    public interface Work {
        void score(LoadedModel shadow) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(ShadowScoring.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final ThreadPoolExecutor executor;
    private final MeterRegistry meters;
    private final Consumer<PredictionLog> logs;
    private final Counter cpu;

    @Autowired
    ShadowScoring(PredictionProperties.Shadow settings, MeterRegistry meters, PredictionLogPublisher logs) {
        this(settings, meters, logs::publish);
    }

    /** @param logs where the logs of failed shadow scorings go */
    ShadowScoring(PredictionProperties.Shadow settings, MeterRegistry meters, Consumer<PredictionLog> logs) {
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                settings.threads(),
                settings.threads(),
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()),
                task -> {
                    Thread thread = new Thread(task, "shadow-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
        this.meters = meters;
        this.logs = logs;
        this.cpu = Counter.builder("sextant.prediction.shadow.cpu")
                .description("CPU time the shadow threads spent scoring, in seconds")
                .baseUnit("seconds")
                .register(meters);
    }

    /**
     * A request's shadow: this acquired version to score with, or nothing when {@code shadow} is null.
     *
     * @param api the request's API, {@code id} its id and {@code traffic} the shadow's: what a failure is logged with
     * @param outcomes the outcome a failure is logged with, as the request metrics tag it
     */
    public ShadowRun open(
            LoadedModel shadow, String api, String id, Traffic traffic, Function<Throwable, String> outcomes) {
        return shadow == null
                ? ShadowRun.NONE
                : new ShadowRun(this, shadow, new ShadowRun.Request(api, id, traffic, outcomes));
    }

    /** Hands the work over, or drops it when the queue is full; the version is released either way. */
    void submit(LoadedModel shadow, ShadowRun.Request request, Work work) {
        try {
            executor.execute(() -> score(shadow, request, work));
        } catch (RejectedExecutionException e) {
            shadow.release();
            count(shadow, "dropped");
        }
    }

    private void score(LoadedModel shadow, ShadowRun.Request request, Work work) {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try {
            work.score(shadow);
            count(shadow, "scored");
        } catch (Exception | LinkageError e) {
            count(shadow, "failed");
            log.debug("shadow {} failed to score a request: {}", shadow, e.toString());
            // the rollout's evidence of the shadow's errors, as for a version that answers
            logs.accept(PredictionLogs.ofError(
                    request.id(),
                    shadow,
                    request.traffic(),
                    request.api(),
                    request.outcomes().apply(e),
                    System.nanoTime() - start,
                    null));
        } finally {
            shadow.release();
            cpu.increment((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
        }
    }

    private void count(LoadedModel shadow, String outcome) {
        meters.counter(
                        "sextant.prediction.shadow",
                        "model",
                        shadow.name(),
                        "version",
                        String.valueOf(shadow.version()),
                        "outcome",
                        outcome)
                .increment();
    }

    @PreDestroy
    void close() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}
