package dev.sextant.prediction.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.testsupport.OnnxModels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Loading and closing a model hundreds of times (200) does not grow the process's resident memory: a closed runner
 * gives back its session's native memory. The model holds 4 MB of weights, so keeping even a quarter of the
 * closed sessions would show as 200 MB. It runs in a JVM of its own (failsafe's {@code native-memory} execution):
 * the other integration tests' cached application contexts would allocate native memory while it measures. What
 * the Java heap has committed is taken out of the resident memory on both sides: a heap that grows between the two
 * readings is not native memory kept.
 */
class NativeMemoryIT {

    private static final int WEIGHTS = 1024 * 1024;

    @Test
    void closedRunnersGiveBackTheirNativeMemory() throws Exception {
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "resident memory is read from /proc (Linux)");
        float[] weights = new float[WEIGHTS];
        java.util.Arrays.fill(weights, 0.001f);
        byte[] model = OnnxModels.logisticRegression(weights, 0f);
        Tensor row = new Tensor("features", Datatype.FP32, new long[] {1, WEIGHTS}, new float[WEIGHTS]);

        for (int i = 0; i < 30; i++) {
            swap(model, row);
        }
        System.gc();
        long settled = nativeKb(status);
        for (int i = 0; i < 200; i++) {
            swap(model, row);
        }
        System.gc();
        long after = nativeKb(status);

        assertThat(after - settled)
                .as(
                        "resident memory outside the heap grew from %d kB to %d kB over 200 load/close cycles of a"
                                + " 4 MB model",
                        settled, after)
                .isLessThan(100 * 1024);
    }

    private static void swap(byte[] model, Tensor row) throws ModelRunException {
        try (OnnxModelRunner runner = OnnxModelRunner.load(model, 1, 1)) {
            runner.run(List.of(row), Set.of("probability"));
        }
    }

    /** Resident memory less the heap's committed memory. */
    private static long nativeKb(Path status) throws IOException {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
        return residentKb(status) - heap;
    }

    private static long residentKb(Path status) throws IOException {
        return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst()
                .orElseThrow();
    }
}
