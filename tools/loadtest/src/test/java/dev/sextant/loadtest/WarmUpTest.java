package dev.sextant.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void windowsAgreeWhenTheirMedianAndTailAreWithinTheTolerance() {
        assertThat(WarmUp.agree(window(2.0, 10.0), window(2.2, 11.0), 0.2)).isTrue();
        assertThat(WarmUp.agree(window(2.0, 10.0), window(2.0, 14.0), 0.2))
                .as("the tail still falling")
                .isFalse();
        assertThat(WarmUp.agree(window(4.0, 10.0), window(2.0, 10.0), 0.2))
                .as("the median still falling")
                .isFalse();
    }

    @Test
    void latenciesBelowTheNoiseFloorAgreeWhateverTheirRatio() {
        assertThat(WarmUp.agree(window(0.3, 0.5), window(0.4, 0.65), 0.2)).isTrue();
        assertThat(WarmUp.agree(window(0.3, 0.5), window(0.3, 0.75), 0.2)).isFalse();
    }

    @Test
    void aWindowWithFailuresNeverAgrees() {
        Load.Result failing =
                new Load.Result(100, 8, 5, 500, 499, Map.of("timeout", 1L), latencies(2.0, 10.0), List.of());
        assertThat(WarmUp.agree(window(2.0, 10.0), failing, 0.2)).isFalse();
        assertThat(WarmUp.agree(failing, window(2.0, 10.0), 0.2)).isFalse();
    }

    @Test
    void theDetailLineShowsEachWindowsTailAndBusiestCompiler() {
        assertThat(LoadTest.warmUp(new WarmUp.Settled(
                        Duration.ofSeconds(25),
                        true,
                        List.of(40.0, 3.1, 3.0),
                        List.of(
                                new WarmUp.Compiling("gateway", 0.31),
                                new WarmUp.Compiling("prediction-service", 0.08),
                                new WarmUp.Compiling("gateway", 0.02)))))
                .isEqualTo("warm-up: 25 s, stable; p99 by window [40.00, 3.10, 3.00] ms;"
                        + " busiest JIT compiler by window [gateway 31 %, prediction-service 8 %, gateway 2 %]");
        assertThat(LoadTest.warmUp(new WarmUp.Settled(Duration.ofSeconds(120), false, List.of(9.0), List.of())))
                .isEqualTo("warm-up: 120 s, NOT stable by the plan's stable.max; p99 by window [9.00] ms");
    }

    @Test
    void theBusiestCompilerIsTheJvmThatSpentTheLargestShareOfTheTimeCompiling() {
        Map<String, String> before = Map.of("gateway", compiled(1_000), "feature-store", compiled(500));
        Map<String, String> after =
                Map.of("gateway", compiled(1_400), "feature-store", compiled(2_000), "monitoring", compiled(9_000));
        WarmUp.Compiling busiest = WarmUp.busiest(before, after, Duration.ofSeconds(5));
        // monitoring was not in the first scrape: what it compiled in between is unknown
        assertThat(busiest.service()).isEqualTo("feature-store");
        assertThat(busiest.share()).isCloseTo(0.3, within(1e-9));
        assertThat(WarmUp.busiest(before, before, Duration.ofSeconds(5))).isEqualTo(new WarmUp.Compiling("-", 0));
    }

    @Test
    void theWarmUpGoesOnWhileAJvmIsStillCompilingThoughItsLatencyIsStable() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        // the gateway's JIT compiler works through the slow start and the first two windows, then rests
        AtomicInteger scrapes = new AtomicInteger();
        Supplier<Map<String, String>> scrape =
                () -> Map.of("gateway", compiled(60_000 * Math.min(scrapes.incrementAndGet(), 4)));
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        try (Load load = new Load(16, Duration.ofSeconds(5))) {
            WarmUp.Settled settled = WarmUp.run(
                    load,
                    () -> new Load.Call(url, Map.of(), new byte[0]),
                    100,
                    Duration.ofMillis(400),
                    new Plan.Stable("300ms", 0.9, "20s", 0.05),
                    scrape);
            assertThat(settled.stable()).isTrue();
            assertThat(settled.p99s()).as("the slow start and three windows").hasSize(4);
            assertThat(settled.compiling()).hasSize(4);
            assertThat(settled.compiling().subList(0, 3))
                    .allSatisfy(window -> assertThat(window.share()).isGreaterThan(0.05));
            assertThat(settled.compiling().get(3)).isEqualTo(new WarmUp.Compiling("-", 0));
        } finally {
            server.stop(0);
        }
    }

    private static String compiled(double millis) {
        return "# TYPE jvm_compilation_time_ms_total counter\n"
                + "jvm_compilation_time_ms_total{compiler=\"HotSpot 64-Bit Tiered Compilers\"} " + millis + "\n";
    }

    private static Load.Result window(double p50Ms, double p99Ms) {
        return new Load.Result(100, 8, 5, 500, 500, Map.of(), latencies(p50Ms, p99Ms), List.of());
    }

    /** 100 latencies: 98 at the median's value, 2 at the tail's. */
    private static Histogram latencies(double p50Ms, double p99Ms) {
        Histogram histogram = new Histogram(3);
        histogram.recordValueWithCount(Math.round(p50Ms * 1000), 98);
        histogram.recordValueWithCount(Math.round(p99Ms * 1000), 2);
        return histogram;
    }
}
