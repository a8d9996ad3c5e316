package dev.sextant.prediction.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.prediction.PredictionProperties;
import dev.sextant.prediction.catalog.LoadedModel;
import dev.sextant.prediction.logging.PredictionLog;
import dev.sextant.prediction.logging.Traffic;
import dev.sextant.prediction.runtime.ModelRunException;
import dev.sextant.prediction.runtime.ModelRunner;
import dev.sextant.prediction.runtime.ModelSignature;
import dev.sextant.prediction.runtime.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A shadow never waits for room: beyond its queue, scorings are dropped and counted, and no reference leaks. */
class ShadowScoringTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<PredictionLog> failures = new CopyOnWriteArrayList<>();
    private final ShadowScoring scoring =
            new ShadowScoring(new PredictionProperties.Shadow(1, 2), meters, failures::add);
    private final Runner runner = new Runner();
    private final LoadedModel shadow = new LoadedModel("fraud", 2, "sha", runner, List.of());

    @AfterEach
    void close() throws InterruptedException {
        scoring.close();
    }

    @Test
    void beyondItsQueueAShadowScoringIsDroppedAtOnceCountedAndItsVersionReleased() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        open().submit(version -> {
            blocked.countDown();
            release.await();
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        // one thread busy, two queued: the next three are dropped
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            open().submit(version -> {});
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
        assertThat(count("dropped")).isEqualTo(3);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> count("scored") == 3);
        shadow.release(); // the catalog's own reference: the last one closes the runner
        assertThat(runner.closed).isTrue();
    }

    @Test
    void aFailingShadowIsCountedAndLoggedWithItsErrorAndNeverThrowsIntoTheRequest() {
        open().submit(version -> {
            throw new ModelRunException("shadow broke", null);
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> count("failed") == 1);
        assertThat(failures).singleElement().satisfies(log -> {
            assertThat(log.requestId()).isEqualTo("req-1");
            assertThat(log.version()).isEqualTo(2);
            assertThat(log.trafficRole()).isEqualTo("shadow");
            assertThat(log.rolloutId()).isEqualTo(7L);
            assertThat(log.error()).isEqualTo("runtime_error");
            assertThat(log.outputs()).isNull();
        });
        assertThat(meters.get("sextant.prediction.shadow.cpu").counter().count())
                .isGreaterThanOrEqualTo(0);
        shadow.release();
        assertThat(runner.closed).isTrue();
    }

    @Test
    void aRequestThatNeverHandsItsWorkOverReleasesTheShadowWhenItEnds() {
        try (ShadowRun run = open()) {
            assertThat(run.active()).isTrue();
        }
        shadow.release();

        assertThat(runner.closed).isTrue();
        assertThat(ShadowRun.NONE.active()).isFalse();
    }

    /** A request's shadow run, taking a reference as the catalog does for each shadowed request. */
    private ShadowRun open() {
        assertThat(shadow.acquire()).isTrue();
        return scoring.open(
                shadow,
                "oip",
                "req-1",
                new Traffic("shadow", 7L, 3, "k-1"),
                failure -> failure instanceof ModelRunException ? "runtime_error" : "server_error");
    }

    private double count(String outcome) {
        var counter =
                meters.find("sextant.prediction.shadow").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static final class Runner implements ModelRunner {
        volatile boolean closed;

        @Override
        public ModelSignature signature() {
            return null;
        }

        @Override
        public String executionProvider() {
            return "CPU";
        }

        @Override
        public Map<String, Tensor> run(List<Tensor> inputs, Set<String> outputs) {
            return Map.of();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
