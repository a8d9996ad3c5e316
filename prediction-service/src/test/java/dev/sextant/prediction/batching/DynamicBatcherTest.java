package dev.sextant.prediction.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sextant.prediction.PredictionProperties;
import dev.sextant.prediction.runtime.Datatype;
import dev.sextant.prediction.runtime.ModelRunException;
import dev.sextant.prediction.runtime.ModelRunner;
import dev.sextant.prediction.runtime.ModelSignature;
import dev.sextant.prediction.runtime.OnnxModelRunner;
import dev.sextant.prediction.runtime.Tensor;
import dev.sextant.testsupport.OnnxModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dynamic batcher in front of real ONNX Runtime sessions. */
class DynamicBatcherTest {

    private static final float[] WEIGHTS = {0.5f, -1f};
    private static final Set<String> OUTPUT = Set.of("probability");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService clients = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        clients.shutdownNow();
    }

    private static PredictionProperties.BatchSettings settings(
            int maxBatch, Duration delay, int capacity, Duration timeout) {
        return new PredictionProperties.BatchSettings(true, maxBatch, delay, capacity, timeout, 1);
    }

    /** A batcher of version 1 of {@code model}, its metrics in this test's registry. */
    private DynamicBatcher batcher(ModelRunner runner, PredictionProperties.BatchSettings settings, String model) {
        return new DynamicBatcher(runner, settings, model + " v1", meters, "model", model, "version", "1");
    }

    private static Tensor features(float a, float b) {
        return new Tensor("features", Datatype.FP32, new long[] {1, 2}, new float[] {a, b});
    }

    private static float expected(float a, float b) {
        return (float) (1 / (1 + Math.exp(-(WEIGHTS[0] * a + WEIGHTS[1] * b))));
    }

    @Test
    void concurrentRequestsRunTogetherAndEachGetsItsOwnRows() throws Exception {
        try (DynamicBatcher batcher = batcher(
                OnnxModelRunner.load(OnnxModels.logisticRegression(WEIGHTS, 0f), 1, 1),
                settings(16, Duration.ofMillis(2), 1024, Duration.ofSeconds(10)),
                "scorer")) {
            List<Future<float[]>> answers = new ArrayList<>();
            for (int i = 0; i < 800; i++) {
                float a = i % 97;
                float b = i % 13;
                answers.add(clients.submit(() -> {
                    Tensor out = batcher.run(List.of(features(a, b)), OUTPUT).get("probability");
                    assertThat(out.shape()).containsExactly(1, 1);
                    return new float[] {a, b, ((float[]) out.values())[0]};
                }));
            }
            for (Future<float[]> answer : answers) {
                float[] got = answer.get(30, TimeUnit.SECONDS);
                assertThat(got[2])
                        .as("request (%s, %s)", got[0], got[1])
                        .isCloseTo(expected(got[0], got[1]), org.assertj.core.data.Offset.offset(1e-6f));
            }
            var sizes = meters.get("sextant.prediction.batch.size").summary();
            assertThat(sizes.max()).as("some requests shared a run").isGreaterThan(1);
            assertThat(sizes.totalAmount()).isEqualTo(800);
            assertThat(meters.get("sextant.prediction.queue").timer().count()).isEqualTo(800);
        }
    }

    @Test
    void aFullQueueRefusesAtOnceAndAWaitPastTheTimeoutGivesUpUnrun() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        OnnxModelRunner onnx = OnnxModelRunner.load(OnnxModels.logisticRegression(WEIGHTS, 0f), 1, 1);
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        ModelRunner held = new HeldRunner(onnx, gate, runs, closed);
        try (DynamicBatcher batcher = batcher(held, settings(2, Duration.ZERO, 2, Duration.ofMillis(300)), "scorer")) {
            // one run held by the gate, two waiting: the queue is full
            List<Future<Map<String, Tensor>>> waiting = new ArrayList<>();
            waiting.add(clients.submit(() -> batcher.run(List.of(features(0, 0)), OUTPUT)));
            while (runs.get() == 0) {
                Thread.sleep(5);
            }
            waiting.add(clients.submit(() -> batcher.run(List.of(features(1, 1)), OUTPUT)));
            waiting.add(clients.submit(() -> batcher.run(List.of(features(2, 2)), OUTPUT)));
            while (meters.get("sextant.prediction.queue.depth").gauge().value() < 2) {
                Thread.sleep(5);
            }

            assertThatThrownBy(() -> batcher.run(List.of(features(3, 3)), OUTPUT))
                    .isInstanceOf(ModelOverloadedException.class)
                    .hasMessageContaining("queue is full (2 requests)");

            for (Future<Map<String, Tensor>> answer : waiting) {
                assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(ModelOverloadedException.class)
                        .hasMessageContaining("did not answer within 300 ms");
            }
            gate.countDown();
            Thread.sleep(200);
            assertThat(runs.get())
                    .as("the two timed-out requests in the queue were dropped unrun")
                    .isEqualTo(1);
            assertThat(meters.get("sextant.prediction.queue.rejected")
                            .tag("reason", "full")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(meters.get("sextant.prediction.queue.rejected")
                            .tag("reason", "timeout")
                            .counter()
                            .count())
                    .isEqualTo(3);
            float[] after = (float[]) batcher.run(List.of(features(1, 2)), OUTPUT)
                    .get("probability")
                    .values();
            assertThat(after[0]).isCloseTo(expected(1, 2), org.assertj.core.data.Offset.offset(1e-6f));
        }
        assertThat(closed).as("closing the batcher closes the model").isTrue();
    }

    @Test
    void requestsAreOnlyStackedWithRequestsOfTheSameShape() throws Exception {
        try (DynamicBatcher batcher = batcher(
                OnnxModelRunner.load(OnnxModels.identity(DataType.FLOAT, -1, -1), 1, 1),
                settings(64, Duration.ofMillis(20), 64, Duration.ofSeconds(10)),
                "identity")) {
            List<Future<Tensor>> answers = new ArrayList<>();
            for (int width = 1; width <= 4; width++) {
                for (int i = 0; i < 3; i++) {
                    float[] values = new float[width];
                    java.util.Arrays.fill(values, width * 10 + i);
                    Tensor input = new Tensor("input", Datatype.FP32, new long[] {1, width}, values);
                    answers.add(clients.submit(
                            () -> batcher.run(List.of(input), Set.of("output")).get("output")));
                }
            }
            int k = 0;
            for (int width = 1; width <= 4; width++) {
                for (int i = 0; i < 3; i++) {
                    Tensor out = answers.get(k++).get(10, TimeUnit.SECONDS);
                    assertThat(out.shape()).containsExactly(1, width);
                    assertThat(((float[]) out.values())[0]).isEqualTo(width * 10 + i);
                }
            }
        }
    }

    @Test
    void onlyModelsWithAVariableFirstDimensionEverywhereBatch() throws Exception {
        try (OnnxModelRunner variable = OnnxModelRunner.load(OnnxModels.logisticRegression(WEIGHTS, 0f), 1, 1);
                OnnxModelRunner fixed = OnnxModelRunner.load(OnnxModels.identity(DataType.FLOAT, 1, 2), 1, 1)) {
            assertThat(DynamicBatcher.supports(variable.signature())).isTrue();
            assertThat(DynamicBatcher.supports(fixed.signature())).isFalse();
        }
    }

    /** A real runner whose runs wait for a gate: holds the worker so the queue can be filled. */
    private record HeldRunner(
            OnnxModelRunner onnx,
            CountDownLatch gate,
            AtomicInteger runs,
            java.util.concurrent.atomic.AtomicBoolean closed)
            implements ModelRunner {

        @Override
        public ModelSignature signature() {
            return onnx.signature();
        }

        @Override
        public String executionProvider() {
            return onnx.executionProvider();
        }

        @Override
        public Map<String, Tensor> run(List<Tensor> inputs, Set<String> outputs) throws ModelRunException {
            runs.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return onnx.run(inputs, outputs);
        }

        @Override
        public void close() {
            closed.set(true);
            onnx.close();
        }
    }
}
