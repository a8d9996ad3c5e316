package dev.sextant.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CostsTest {

    @Test
    void countsTheCpuOfAProcessAndOfTheChildrenItStarted() throws Exception {
        // a shell that sleeps while its child spins: the CPU is the child's, charged to the process named
        Process launcher = new ProcessBuilder("sh", "-c", "sh -c 'while :; do :; done' & sleep 60").start();
        try {
            Costs costs = new Costs(Map.of("launcher", launcher.pid()));
            Thread.sleep(200);
            Costs.Snapshot before = costs.take();
            Thread.sleep(1000);
            Costs.Snapshot after = costs.take();

            Costs.Measured measured = Costs.between(before, after, Map.of(), Map.of(), 1000);

            Costs.Cost spinning = measured.processes().get(0);
            assertThat(spinning.process()).isEqualTo("launcher");
            // the sleeping shell itself spends nothing: a tenth of a core is the child's CPU, charged to it, even on
            // a machine whose cores the build's other modules share
            assertThat(spinning.cores()).isGreaterThan(0.1);
            assertThat(spinning.cpuMicros()).isGreaterThan(100); // > 0.1 s of CPU over 1,000 requests
            assertThat(measured.processes().get(1).process()).isEqualTo(Costs.LOAD_GENERATOR);
            assertThat(measured.platform().cpuMicros()).isEqualTo(spinning.cpuMicros());
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void dividesEachProcessByTheRequestsAndSumsThePlatformWithoutTheLoadGenerator() {
        Costs.Snapshot before =
                new Costs.Snapshot(0, Map.of("gateway", 1_000_000L, "kafka", 0L, Costs.LOAD_GENERATOR, 0L, "gone", 5L));
        Costs.Snapshot after = new Costs.Snapshot(
                2_000_000_000L,
                Map.of("gateway", 301_000_000L, "kafka", 100_000_000L, Costs.LOAD_GENERATOR, 50_000_000L));
        String allocatedBefore = "jvm_gc_memory_allocated_bytes_total 1024.0\n"
                + "jvm_gc_pause_seconds_count{action=\"end of minor GC\",cause=\"G1 Evacuation Pause\"} 4\n";
        String allocatedAfter = "# TYPE jvm_gc_memory_allocated_bytes_total counter\n"
                + "jvm_gc_memory_allocated_bytes_total 1.0241024E7\n"
                + "jvm_gc_pause_seconds_count{action=\"end of minor GC\",cause=\"G1 Evacuation Pause\"} 6\n"
                + "jvm_gc_pause_seconds_count{action=\"end of minor GC\",cause=\"Metadata GC Threshold\"} 1\n";
        String oneCollection = "jvm_gc_memory_allocated_bytes_total 5000.0\njvm_gc_pause_seconds_count 1\n";
        String twoCollections = "jvm_gc_memory_allocated_bytes_total 9000.0\njvm_gc_pause_seconds_count 2\n";

        Costs.Measured measured = Costs.between(
                before,
                after,
                Map.of("gateway", allocatedBefore, "kafka", oneCollection),
                Map.of("gateway", allocatedAfter, "kafka", twoCollections),
                1000);

        Costs.Cost gateway = cost(measured, "gateway");
        assertThat(gateway.cpuMicros()).isCloseTo(300, within(1e-9)); // 0.3 s over 1,000 requests
        assertThat(gateway.cores()).isCloseTo(0.15, within(1e-9)); // over 2 s
        assertThat(gateway.allocatedKb()).isCloseTo(10, within(1e-9));
        assertThat(cost(measured, "kafka").allocatedKb())
                .as("one collection: too coarse")
                .isNull();
        assertThat(measured.platform().cpuMicros()).isCloseTo(400, within(1e-9));
        assertThat(measured.platform().allocatedKb()).isCloseTo(10, within(1e-9));
        assertThat(measured.cpuMicros(Costs.LOAD_GENERATOR)).contains(50.0);
        assertThat(measured.processes()).extracting(Costs.Cost::process).doesNotContain("gone");
    }

    @Test
    void refusesAProcessListThatIsNotNamesAndPids() {
        assertThat(Costs.parse("gateway=12, kafka=13").take().cpu()).containsKey(Costs.LOAD_GENERATOR);
        assertThatThrownBy(() -> Costs.parse("gateway:12"))
                .hasMessageContaining("--processes must list name=pid pairs separated by commas, got gateway:12");
        assertThatThrownBy(() -> Costs.parse("gateway=twelve"))
                .hasMessageContaining("--processes: the pid of gateway must be a number, got twelve");
    }

    private static Costs.Cost cost(Costs.Measured measured, String process) {
        return measured.processes().stream()
                .filter(cost -> cost.process().equals(process))
                .findFirst()
                .orElseThrow();
    }
}
