package dev.sextant.prediction.batching;

import dev.sextant.prediction.PredictionProperties;
import dev.sextant.prediction.runtime.ModelRunException;
import dev.sextant.prediction.runtime.ModelRunner;
import dev.sextant.prediction.runtime.ModelSignature;
import dev.sextant.prediction.runtime.Tensor;
import dev.sextant.prediction.runtime.TensorSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching, as Triton's dynamic batcher does it: requests to one model version wait in a bounded queue;
 * a worker thread (one per configured worker, Triton's model instances, all sharing the session) takes the oldest, adds the requests behind it until the batch holds {@code maxBatchSize} rows
 * or the oldest has waited {@code maxQueueDelay}, stacks their inputs along the batch dimension, runs them as
 * one ONNX Runtime call and hands each request its rows of every output. Under load the queue refills while a
 * batch runs, so batches form without waiting. One difference from Triton: the oldest request only waits for
 * others while other requests are in flight; a lone request (low load, or one client at a time) runs at once
 * instead of paying the delay for nothing.
 *
 * <p>A full queue refuses at once ({@link ModelOverloadedException}, answered 503) instead of growing latency;
 * a request not answered within {@code timeout} gives up the same way, and the worker drops it unrun. Requests are
 * only stacked with requests asking for the same outputs with the same non-batch dimensions. If ONNX Runtime
 * fails a batch, its requests are run one by one, so one request's failure is only its own.
 *
 * <p>Only for models whose every input and output has a variable first dimension ({@link #supports}).
 */
public final class DynamicBatcher implements ModelRunner {

    private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);

    private final ModelRunner delegate;
    private final String model;
    private final int maxBatchSize;
    private final long maxQueueDelayNanos;
    private final long timeoutNanos;
    private final int queueCapacity;
    private final ArrayBlockingQueue<Pending> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final MeterRegistry meters;
    private final Gauge depth;
    private final DistributionSummary batchSizes;
    private final Timer queueWait;
    private final Counter rejectedFull;
    private final Counter rejectedTimeout;
    /** Requests inside {@link #run} on the queued path: waiting, or in a batch that runs. */
    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile boolean closed;

    /** One request in the queue. */
    private static final class Pending {

        final List<Tensor> inputs;
        final Set<String> outputs;
        final int rows;
        final long enqueued = System.nanoTime();
        final CompletableFuture<Map<String, Tensor>> result = new CompletableFuture<>();

        Pending(List<Tensor> inputs, Set<String> outputs, int rows) {
            this.inputs = inputs;
            this.outputs = outputs;
            this.rows = rows;
        }

        /** Whether the two can share a run: the same outputs, and inputs equal in every dimension but the first. */
        boolean stacksWith(Pending other) {
            if (!outputs.equals(other.outputs)) {
                return false;
            }
            for (int i = 0; i < inputs.size(); i++) {
                long[] a = inputs.get(i).shape();
                long[] b = other.inputs.get(i).shape();
                if (a.length != b.length || !Arrays.equals(a, 1, a.length, b, 1, b.length)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * @param model the version, e.g. {@code fraud-detector v2}, for messages and the worker's name
     * @param tags the metric tags of the version ({@code model}, {@code version})
     */
    public DynamicBatcher(
            ModelRunner delegate,
            PredictionProperties.BatchSettings settings,
            String model,
            MeterRegistry meters,
            String... tags) {
        this.delegate = delegate;
        this.model = model;
        this.maxBatchSize = settings.maxBatchSize();
        this.maxQueueDelayNanos = settings.maxQueueDelay().toNanos();
        this.timeoutNanos = settings.timeout().toNanos();
        this.queueCapacity = settings.queueCapacity();
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.meters = meters;
        this.depth = Gauge.builder("sextant.prediction.queue.depth", queue, ArrayBlockingQueue::size)
                .description("Requests waiting in a model version's batching queue")
                .tags(tags)
                .register(meters);
        this.batchSizes = DistributionSummary.builder("sextant.prediction.batch.size")
                .description("Rows per ONNX Runtime run of a batching model version")
                .tags(tags)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
                .register(meters);
        this.queueWait = Timer.builder("sextant.prediction.queue")
                .description("Time a request waited in the batching queue before its batch ran")
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofNanos(50_000))
                .register(meters);
        this.rejectedFull = Counter.builder("sextant.prediction.queue.rejected")
                .description("Requests refused by a batching queue: full, or not run within the timeout")
                .tags(tags)
                .tag("reason", "full")
                .register(meters);
        this.rejectedTimeout = Counter.builder("sextant.prediction.queue.rejected")
                .tags(tags)
                .tag("reason", "timeout")
                .register(meters);
        for (int i = 0; i < settings.workers(); i++) {
            Thread worker = new Thread(this::work, "batcher " + model + " #" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    /** Whether requests to this model can be stacked: every input and output has a variable first dimension. */
    public static boolean supports(ModelSignature signature) {
        return signature.inputs().stream().allMatch(TensorSpec::batchable)
                && signature.outputs().stream().allMatch(TensorSpec::batchable);
    }

    @Override
    public ModelSignature signature() {
        return delegate.signature();
    }

    @Override
    public String executionProvider() {
        return delegate.executionProvider();
    }

    @Override
    public Map<String, Tensor> run(List<Tensor> inputs, Set<String> outputs) throws ModelRunException {
        int rows = (int) inputs.get(0).shape()[0];
        if (rows >= maxBatchSize) {
            batchSizes.record(rows);
            return delegate.run(inputs, outputs); // a full batch by itself
        }
        Pending pending = new Pending(inputs, outputs, rows);
        inFlight.incrementAndGet();
        if (closed || !queue.offer(pending)) {
            inFlight.decrementAndGet();
            rejectedFull.increment();
            throw new ModelOverloadedException(
                    model + " is overloaded: its batching queue is full (" + queueCapacity + " requests); retry later");
        }
        try {
            return pending.result.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.result.cancel(false); // the worker skips it
            rejectedTimeout.increment();
            throw new ModelOverloadedException(model + " did not answer within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (the batching timeout); retry later");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ModelRunException run) {
                throw run;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelOverloadedException(model + ": interrupted while waiting for its batch");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void work() {
        Pending carried = null;
        while (!closed) {
            try {
                Pending first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null || abandoned(first)) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                int rows = first.rows;
                long deadline = first.enqueued + maxQueueDelayNanos;
                while (rows < maxBatchSize) {
                    Pending next = queue.poll();
                    if (next == null) {
                        if (inFlight.get() <= batch.size()) {
                            break; // no other request is in flight: none can join, waiting would only add latency
                        }
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0 || (next = queue.poll(wait, TimeUnit.NANOSECONDS)) == null) {
                            break;
                        }
                    }
                    if (abandoned(next)) {
                        continue;
                    }
                    if (!first.stacksWith(next) || rows + next.rows > maxBatchSize) {
                        carried = next; // the first of the next batch
                        break;
                    }
                    batch.add(next);
                    rows += next.rows;
                }
                execute(batch, rows);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                log.error("batching worker of {} failed a batch", model, e);
            }
        }
        ModelOverloadedException gone = new ModelOverloadedException(model + " was unloaded; retry");
        if (carried != null) {
            carried.result.completeExceptionally(gone);
        }
        for (Pending left; (left = queue.poll()) != null; ) {
            left.result.completeExceptionally(gone);
        }
    }

    /** Whether the caller gave up (timed out): then it is dropped unrun. */
    private boolean abandoned(Pending pending) {
        if (pending.result.isDone()) {
            return true;
        }
        if (System.nanoTime() - pending.enqueued > timeoutNanos) {
            pending.result.cancel(false);
            return true;
        }
        return false;
    }

    private void execute(List<Pending> batch, int rows) {
        long start = System.nanoTime();
        for (Pending pending : batch) {
            queueWait.record(start - pending.enqueued, TimeUnit.NANOSECONDS);
        }
        batchSizes.record(rows);
        if (batch.size() == 1) {
            runAlone(batch.get(0));
            return;
        }
        Pending first = batch.get(0);
        Map<String, Tensor> result;
        try {
            result = delegate.run(stack(batch, rows), first.outputs);
        } catch (ModelRunException | RuntimeException e) {
            log.debug("batch of {} requests to {} failed ({}); running them one by one", batch.size(), model, e);
            batch.forEach(this::runAlone);
            return;
        }
        int offset = 0;
        for (Pending pending : batch) {
            Map<String, Tensor> share = new LinkedHashMap<>();
            for (Tensor output : result.values()) {
                share.put(output.name(), rows(output, rows, offset, pending.rows));
            }
            pending.result.complete(share);
            offset += pending.rows;
        }
    }

    private void runAlone(Pending pending) {
        try {
            pending.result.complete(delegate.run(pending.inputs, pending.outputs));
        } catch (ModelRunException | RuntimeException e) {
            pending.result.completeExceptionally(e);
        }
    }

    /** The batch's inputs, each request's rows one after the other. */
    private static List<Tensor> stack(List<Pending> batch, int rows) {
        List<Tensor> first = batch.get(0).inputs;
        List<Tensor> stacked = new ArrayList<>(first.size());
        for (int i = 0; i < first.size(); i++) {
            Tensor model = first.get(i);
            int total = 0;
            for (Pending pending : batch) {
                total += Array.getLength(pending.inputs.get(i).values());
            }
            Object values = model.datatype().newArray(total);
            int at = 0;
            for (Pending pending : batch) {
                Object part = pending.inputs.get(i).values();
                int length = Array.getLength(part);
                System.arraycopy(part, 0, values, at, length);
                at += length;
            }
            long[] shape = model.shape().clone();
            shape[0] = rows;
            stacked.add(new Tensor(model.name(), model.datatype(), shape, values, model.labels()));
        }
        return stacked;
    }

    /** Rows {@code from} to {@code from + count} of a batch's output. */
    private static Tensor rows(Tensor output, int batchRows, int from, int count) {
        int perRow = Array.getLength(output.values()) / batchRows;
        Object values = output.datatype().newArray(count * perRow);
        System.arraycopy(output.values(), from * perRow, values, 0, count * perRow);
        long[] shape = output.shape().clone();
        shape[0] = count;
        return new Tensor(output.name(), output.datatype(), shape, values, output.labels());
    }

    /** Stops the worker (failing anything still queued), then closes the model. */
    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        try {
            for (Thread worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        meters.remove(depth);
        delegate.close();
    }
}
