package dev.sextant.monitoring.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once bookkeeping of the windows: where a restart resumes, which replayed records are skipped, and that
 * a restart rebuilds the open window from the same records.
 */
class WindowAggregatorTest {

    static final Instant START = Instant.parse("2026-11-20T00:00:00Z");

    final List<ModelWindow> closed = new ArrayList<>();

    WindowAggregator aggregator() {
        MonitoringProperties properties = TestProperties.with(10, 5, 2);
        WindowAggregator windows = new WindowAggregator(properties.window(), new SimpleMeterRegistry());
        windows.onClose(closed::add);
        return windows;
    }

    static PredictionLog log(String model, int i) {
        return new PredictionLog("r-" + i, START.plusSeconds(i), model, 1, Map.of("x", new double[] {i}), Map.of());
    }

    @Test
    void resumesAtTheOldestOpenWindowAndSkipsWhatWasJudgedAfterIt() {
        WindowAggregator windows = aggregator();
        // Partition 0 interleaves two models: a opens at offset 0, b at 1; a closes after 10 of its logs.
        long offset = 0;
        windows.accept(log("a", 0), 0, offset++);
        windows.accept(log("b", 0), 0, offset++);
        for (int i = 1; i <= 10; i++) {
            windows.accept(log("a", i), 0, offset++);
        }
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).model()).isEqualTo("a");
        assertThat(closed.get(0).predictions()).isEqualTo(10);
        long next = offset;
        // b's window (opened at offset 1) holds the commit back; a's judged records after it are marked.
        long resume = windows.resumeOffset(0, next);
        assertThat(resume).isEqualTo(1);
        Map<String, Long> marks = windows.closedThrough(0, resume);
        assertThat(marks).containsExactly(Map.entry("a/1", 10L));

        // A restart: a fresh aggregator takes the marks and reads from the resume offset again.
        closed.clear();
        WindowAggregator restarted = aggregator();
        restarted.restore(0, marks);
        assertThat(restarted.accept(log("b", 0), 0, 1)).isTrue();
        for (long o = 2; o <= 10; o++) {
            assertThat(restarted.accept(log("a", (int) o - 1), 0, o))
                    .as("offset %d", o)
                    .isFalse();
        }
        // The replay of a's 11th log (offset 11) opened its second window before the crash, and does so again.
        assertThat(restarted.accept(log("a", 10), 0, 11)).isTrue();
        assertThat(restarted.resumeOffset(0, 12)).isEqualTo(1);
        assertThat(closed).isEmpty();
    }

    @Test
    void aLogReadTwiceOrPublishedTwiceCountsOnce() {
        WindowAggregator windows = aggregator();
        assertThat(windows.accept(log("a", 0), 0, 0)).isTrue();
        assertThat(windows.accept(log("a", 0), 0, 1)).as("published twice").isFalse();
        assertThat(windows.accept(log("a", 0), 0, 0)).as("read twice").isFalse();
        for (int i = 1; i <= 10; i++) {
            windows.accept(log("a", i), 1, i);
        }
        assertThat(closed).singleElement().extracting(ModelWindow::predictions).isEqualTo(10L);
        // The first partition has nothing open: it resumes after its last record, and needs no mark.
        assertThat(windows.resumeOffset(0, 2)).isEqualTo(2);
        assertThat(windows.closedThrough(0, 2)).isEmpty();
        // The second resumes at the open window's first record (offset 10); the closed window's mark (9) is before.
        assertThat(windows.resumeOffset(1, 11)).isEqualTo(10);
        assertThat(windows.closedThrough(1, 10)).isEmpty();
    }

    @Test
    void atMaxOpenWindowsTheLeastRecentlyFedOneClosesToMakeRoom() throws InterruptedException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        WindowAggregator windows =
                new WindowAggregator(TestProperties.with(10, 5, 2, 2).window(), meters);
        windows.onClose(closed::add);
        windows.accept(log("a", 0), 0, 0);
        Thread.sleep(2);
        windows.accept(log("b", 1), 0, 1);
        Thread.sleep(2);
        windows.accept(log("a", 2), 0, 2);
        // A log for a third model version (a producer inventing names would open one window each): "b" was fed
        // longest ago, so it is closed, and judged, first.
        windows.accept(log("c", 3), 0, 3);

        assertThat(closed).extracting(ModelWindow::model).containsExactly("b");
        assertThat(meters.get("sextant.monitoring.windows.evicted").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("sextant.monitoring.windows.open").gauge().value())
                .isEqualTo(2);
        assertThat(windows.accept(log("b", 4), 0, 4)).as("b opens again").isTrue();
        assertThat(closed).extracting(ModelWindow::model).containsExactly("b", "a");
    }
}
