package dev.sextant.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanTest {

    /** A plan's settings before its scenarios, which each test appends. */
    private static final String HEADER =
            """
            warmup: 1s
            measure: 2s
            connections: 8
            timeout: 5s
            scenarios:
            """;

    @TempDir
    Path dir;

    @Test
    void thePlansBesideTheDefaultLoadAndNameTheirFraudModel() throws Exception {
        assertThat(Plan.load(null).fraudModelFile()).isEqualTo(Path.of(Plan.DEFAULT_FRAUD_MODEL));
        for (String name : List.of("predict-logreg", "predict-trees")) {
            Plan plan = Plan.load(Path.of("plans", name + ".yaml"));
            assertThat(Path.of("../..").resolve(plan.fraudModelFile())).isRegularFile();
            assertThat(plan.scenarios())
                    .extracting(Plan.Scenario::name)
                    .containsExactly("predict-direct", "predict-gateway");
        }
    }

    @Test
    void theDefaultPlanNamesEveryKindOfScenarioWithItsTarget() throws Exception {
        Plan plan = Plan.load(null);
        assertThat(plan.scenarios()).extracting(Plan.Scenario::kind).contains("predict", "infer", "features", "mixed");
        assertThat(plan.scenarios()).extracting(Plan.Scenario::via).contains("gateway", "direct");
        assertThat(plan.scenarios())
                .allSatisfy(scenario -> assertThat(scenario.slo().p99Ms()).isPositive());
        assertThat(Plan.duration("warmup", plan.warmup())).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theDefaultPlanWarmsUpUntilStableAndRefusesAToleranceOrJitShareThatIsNotAFraction() throws Exception {
        Plan plan = Plan.load(null);
        assertThat(plan.stable().tolerance()).isBetween(0.0, 1.0);
        assertThat(Plan.duration("stable.max", plan.stable().max()))
                .isGreaterThan(Plan.duration("stable.window", plan.stable().window()));
        assertThatThrownBy(
                        () -> load(
                                """
                        warmup: 1s
                        stable: {window: 5s, tolerance: 20, max: 1m}
                        measure: 2s
                        connections: 8
                        timeout: 5s
                        scenarios: [{name: a, kind: infer, via: direct, slo: {rate: 10, p99_ms: 1, error_rate: 0}}]
                        """))
                .hasMessageContaining("stable.tolerance must be a fraction between 0 and 1, got 20.0");
        assertThatThrownBy(
                        () -> load(
                                """
                        warmup: 1s
                        stable: {window: five, tolerance: 0.2, max: 1m}
                        measure: 2s
                        connections: 8
                        timeout: 5s
                        scenarios: [{name: a, kind: infer, via: direct, slo: {rate: 10, p99_ms: 1, error_rate: 0}}]
                        """))
                .hasMessageContaining("stable.window must be a duration");
        assertThat(plan.stable().jitShare()).isBetween(0.0, 1.0);
        assertThatThrownBy(
                        () -> load(
                                """
                        warmup: 1s
                        stable: {window: 5s, tolerance: 0.2, max: 1m, jit: 5}
                        measure: 2s
                        connections: 8
                        timeout: 5s
                        scenarios: [{name: a, kind: infer, via: direct, slo: {rate: 10, p99_ms: 1, error_rate: 0}}]
                        """))
                .hasMessageContaining("stable.jit must be a fraction between 0 and 1, got 5.0");
    }

    @Test
    void anOverloadScenarioNamesAnEarlierScenarioAndHasNoSweeps() throws Exception {
        Plan plan = Plan.load(null);
        assertThat(plan.scenarios())
                .filteredOn(scenario -> scenario.overload() != null)
                .singleElement()
                .satisfies(scenario -> assertThat(scenario.overload().of()).isEqualTo("predict-gateway"));
        String header =
                HEADER + "  - {name: a, kind: predict, via: gateway, slo: {rate: 10, p99_ms: 4, error_rate: 0}}\n";
        assertThatThrownBy(() -> load(header
                        + "  - {name: b, kind: predict, via: gateway, slo: {rate: 10, p99_ms: 4, error_rate: 0},"
                        + " overload: {of: c, factor: 3, duration: 30s, recovery: 10s, p99_factor: 2, refusal_ms: 5}}"))
                .hasMessageContaining("scenario b: overload.of must name an earlier scenario, got c");
        assertThatThrownBy(() -> load(header
                        + "  - {name: b, kind: predict, via: gateway, slo: {rate: 10, p99_ms: 4, error_rate: 0},"
                        + " overload: {of: a, factor: 1, duration: 30s, recovery: 10s, p99_factor: 2, refusal_ms: 5}}"))
                .hasMessageContaining("scenario b: overload needs factor > 1");
    }

    @Test
    void aRolloutScenarioIsMeasuredInPairsAndRefusesWhatItCannotRun() throws Exception {
        Plan plan = Plan.load(null);
        assertThat(plan.scenarios())
                .filteredOn(scenario -> scenario.rollout() != null)
                .extracting(scenario -> scenario.rollout().strategy() + " in "
                        + scenario.rollout().pairs() + " pairs")
                .containsExactly("canary in 3 pairs", "shadow in 3 pairs");
        assertThat(plan.scenarios().get(1).rollout().spec(7))
                .contains("\"strategy\": \"canary\", \"challengers\": [7], \"key\": \"card_id\"")
                .contains("\"weight\": 50.0");
        assertThat(plan.scenarios().get(2).rollout().spec(7)).contains("\"shadow\": {\"version\": 7, \"share\": 1.0}");
        String scenario =
                HEADER + "  - {name: b, kind: predict, via: direct, slo: {rate: 10, p99_ms: 4, error_rate: 0},";
        assertThat(load(scenario + " rollout: {strategy: shadow, share: 0.5, added_p99_ms: 0.2}}")
                        .scenarios()
                        .get(0)
                        .rollout()
                        .pairs())
                .isEqualTo(3);
        assertThatThrownBy(
                        () -> load(scenario + " rollout: {strategy: canary, weight: 50, pairs: 0, added_p99_ms: 0.1}}"))
                .hasMessageContaining("scenario b: rollout.pairs must be 1 to 10, got 0");
        assertThatThrownBy(() -> load(scenario + " rollout: {strategy: canary, weight: 150, added_p99_ms: 0.1}}"))
                .hasMessageContaining("scenario b: rollout.weight must be a percent in (0, 100], got 150.0");
        assertThatThrownBy(() -> load(scenario + " rollout: {strategy: shadow, added_p99_ms: 0.1}}"))
                .hasMessageContaining("scenario b: rollout.share must be a fraction in (0, 1], got null");
        assertThatThrownBy(() -> load(scenario + " rollout: {strategy: bandit, added_p99_ms: 0.1}}"))
                .hasMessageContaining("scenario b: rollout.strategy must be canary or shadow, got bandit");
        assertThatThrownBy(() ->
                        load(scenario + " rates: [5], rollout: {strategy: canary, weight: 5, added_p99_ms: 0.1}}"))
                .hasMessageContaining("scenario b: a rollout scenario has no sweeps and no overload");
    }

    @Test
    void aRolloutsCostIsTheMedianOverItsPairsOfWhatItAdds() {
        Plan.Rollout rollout = new Plan.Rollout("shadow", null, 1.0, 3, 0.2);
        List<Measurement> without = List.of(measured(2.0, 300, 0), measured(2.4, 310, 0), measured(2.2, 290, 0));
        List<Measurement> with = List.of(measured(2.1, 330, 0.05), measured(3.4, 360, 0.06), measured(2.35, 320, 0.04));

        RolloutRun.Cost cost = RolloutRun.cost(rollout, without, with);
        assertThat(cost.pairs()).isEqualTo(3);
        assertThat(cost.addedP99Ms()).as("the median of +0.1, +1.0, +0.15").isCloseTo(0.15, within(0.005));
        assertThat(cost.verdict()).isEqualTo("met");
        assertThat(cost.addedCpuMicros()).as("the median of +30, +50, +30").isCloseTo(30, within(1e-6));
        assertThat(cost.shadowCpuMicros()).as("50 ms over 1,000 requests").isCloseTo(50, within(1e-6));
        assertThat(RolloutRun.cost(
                                rollout,
                                without,
                                List.of(measured(2.5, 300, 0), measured(2.9, 300, 0), measured(2.6, 300, 0)))
                        .verdict())
                .isEqualTo("MISSED: adds 0.50 ms to the p99 (2.20 ms without it), more than 0.20 ms");
    }

    @Test
    void anOverloadIsMetWhenWhatIsAnsweredStaysFastAndRefusalsAreFaster() {
        Plan.Overload overload = new Plan.Overload("a", 3, "30s", "10s", 2, 5);
        Plan.Slo slo = new Plan.Slo(1000, 4, 0.001);
        assertThat(overload.verdict(overloadRun(7.0, 1.0, 0), slo)).isEqualTo("met");
        assertThat(overload.verdict(overloadRun(9.0, 1.0, 0), slo))
                .matches("MISSED: answered p99 9\\.0\\d ms > 8\\.00 ms");
        assertThat(overload.verdict(overloadRun(7.0, 30.0, 0), slo))
                .matches("MISSED: refusals p99 30\\.0\\d ms > 5\\.00 ms");
        assertThat(overload.verdict(overloadRun(7.0, 1.0, 50), slo))
                .startsWith("MISSED: 50 failures other than refusals");
    }

    /** 1,000 requests answered in {@code ms}. */
    private static Load.Result percentileRun(double ms) {
        org.HdrHistogram.Histogram all = new org.HdrHistogram.Histogram(3);
        all.recordValueWithCount(Math.round(ms * 1000), 1000);
        return new Load.Result(
                1000, 0, 1, 1000, 1000, Map.of(), all, List.of(), all, new org.HdrHistogram.Histogram(3));
    }

    /** The platform's CPU per request, of two processes. */
    private static Costs.Measured costs(double micros) {
        return new Costs.Measured(
                List.of(new Costs.Cost("prediction-service", micros, 1, null), new Costs.Cost("redis", 0, 0, null)),
                new Costs.Cost(Costs.PLATFORM, micros, 1, null));
    }

    /** A run of 1,000 requests at {@code ms}, the platform's CPU per request, the shadow threads' CPU seconds. */
    private static Measurement measured(double ms, double platformMicros, double shadowSeconds) {
        return new Measurement(
                percentileRun(ms),
                Map.of("prediction-service", "sextant_prediction_shadow_cpu_seconds_total 1.0\n"),
                Map.of(
                        "prediction-service",
                        "sextant_prediction_shadow_cpu_seconds_total " + (1.0 + shadowSeconds) + "\n"),
                costs(platformMicros));
    }

    /** 1,000 requests: 600 answered 2xx at {@code okMs}, 400 refused at {@code refusedMs}, and some timeouts. */
    private static Load.Result overloadRun(double okMs, double refusedMs, long timeouts) {
        org.HdrHistogram.Histogram ok = new org.HdrHistogram.Histogram(3);
        ok.recordValueWithCount(Math.round(okMs * 1000), 600);
        org.HdrHistogram.Histogram refused = new org.HdrHistogram.Histogram(3);
        refused.recordValueWithCount(Math.round(refusedMs * 1000), 400);
        org.HdrHistogram.Histogram all = ok.copy();
        all.add(refused);
        Map<String, Long> errors = new java.util.TreeMap<>(Map.of("HTTP 503", 400L));
        if (timeouts > 0) {
            errors.put("timeout", timeouts);
        }
        return new Load.Result(3000, 0, 30, 1000 + timeouts, 1000 + timeouts, errors, all, List.of(), ok, refused);
    }

    @Test
    void aScenarioViaNginxIsAFloorWithItsSloRunOnlyAndIsNeverJudged() throws Exception {
        Plan plan = Plan.load(null);
        assertThat(plan.scenarios())
                .filteredOn(Plan.Scenario::floor)
                .extracting(Plan.Scenario::name)
                .contains("predict-nginx");
        Plan.Scenario floor = load(HEADER
                        + "  - {name: predict-nginx, kind: predict, via: nginx, slo: {rate: 10, p99_ms: 4, error_rate: 0}}")
                .scenarios()
                .get(0);
        assertThat(floor.floor()).isTrue();
        Outcome missed = new Outcome(
                floor,
                null,
                "floor, not judged (MISSED: p99 9.00 ms > 4.00 ms)",
                null,
                List.of(),
                measured(Map.of()),
                "met",
                List.of(),
                List.of(),
                List.of(),
                null,
                null,
                null);
        assertThat(missed.met()).isTrue();
        assertThatThrownBy(() -> load(HEADER
                        + "  - {name: a, kind: predict, via: nginx, slo: {rate: 10, p99_ms: 4, error_rate: 0},"
                        + " rates: [10, 20]}"))
                .hasMessageContaining("scenario a: a scenario via nginx is a floor: its SLO run only");
        assertThatThrownBy(() -> load(
                        HEADER + "  - {name: a, kind: predict, via: proxy, slo: {rate: 10, p99_ms: 4, error_rate: 0}}"))
                .hasMessageContaining("scenario a: via must be gateway, direct or nginx, got proxy");
    }

    @Test
    void aBadPlanIsRefusedWithTheFieldNamed() throws Exception {
        assertThatThrownBy(
                        () -> load(
                                """
                        warmup: 10 seconds
                        measure: 20s
                        connections: 8
                        timeout: 5s
                        scenarios: [{name: a, kind: predict, via: direct, slo: {rate: 10, p99_ms: 5, error_rate: 0}}]
                        """))
                .hasMessageContaining("warmup must be a duration like 500ms, 10s or 2m, got 10 seconds");
        assertThatThrownBy(
                        () -> load(
                                """
                        warmup: 1s
                        measure: 2s
                        connections: 8
                        timeout: 5s
                        scenarios: [{name: a, kind: train, via: direct, slo: {rate: 10, p99_ms: 5, error_rate: 0}}]
                        """))
                .hasMessageContaining("scenario a: kind must be predict, infer, features or mixed, got train");
        assertThatThrownBy(
                        () -> load(
                                """
                        warmup: 1s
                        measure: 2s
                        connections: 8
                        timeout: 5s
                        scenarios: [{name: a, kind: mixed, via: direct, slo: {rate: 10, p99_ms: 5, error_rate: 0}}]
                        """))
                .hasMessageContaining("a mixed workload spans services: via must be gateway");
        assertThatThrownBy(
                        () -> load(
                                """
                        warmup: 1s
                        measure: 2s
                        connections: 8
                        timeout: 5s
                        scenarios: [{name: a, kind: infer, via: direct, slo: {rate: 10, p99_ms: 0, error_rate: 0}}]
                        """))
                .hasMessageContaining("slo needs a positive rate and p99_ms");
        assertThatThrownBy(
                        () -> load(
                                """
                        warmup: 1s
                        measure: 2s
                        connections: 8
                        timeout: 5s
                        wat: 1
                        scenarios: [{name: a, kind: infer, via: direct, slo: {rate: 10, p99_ms: 1, error_rate: 0}}]
                        """))
                .hasMessageContaining("wat");
        assertThatThrownBy(
                        () -> load(
                                """
                        warmup: 1s
                        measure: 2s
                        connections: 8
                        timeout: 5s
                        scenarios: [{name: a, kind: infer, via: direct, slo: {rate: 10, p99_ms: 1, error_rate: 0},
                          cpu_us: {platform: -5}}]
                        """))
                .hasMessageContaining("scenario a: cpu_us must map process names (or platform) to positive"
                        + " microseconds, got platform: -5");
    }

    @Test
    void cpuBudgetsAreJudgedOnTheProcessesMeasuredAndNamedWhenMissed() throws Exception {
        Plan.Scenario scenario =
                load("""
                warmup: 1s
                measure: 2s
                connections: 8
                timeout: 5s
                scenarios: [{name: a, kind: predict, via: gateway, slo: {rate: 10, p99_ms: 1, error_rate: 0},
                  cpu_us: {platform: 650, gateway: 250}}]
                """)
                        .scenarios()
                        .get(0);
        Costs.Measured cheap = measured(Map.of("gateway", 200.0, "prediction-service", 300.0));
        Costs.Measured dearGateway = measured(Map.of("gateway", 400.0, "prediction-service", 200.0));
        Costs.Measured unknown = new Costs.Measured(
                List.of(new Costs.Cost(Costs.LOAD_GENERATOR, 90, 0.1, null)),
                new Costs.Cost(Costs.PLATFORM, 0, 0, null));

        assertThat(scenario.cpuVerdict(cheap)).isEqualTo("met");
        assertThat(scenario.cpuVerdict(dearGateway)).isEqualTo("MISSED: gateway 400 µs > 250 µs");
        assertThat(scenario.cpuVerdict(unknown)).isEqualTo("not measured: gateway, platform");
    }

    private static Costs.Measured measured(Map<String, Double> cpuMicros) {
        List<Costs.Cost> costs = new ArrayList<>();
        cpuMicros.forEach((process, micros) -> costs.add(new Costs.Cost(process, micros, 0.5, null)));
        costs.add(new Costs.Cost(Costs.LOAD_GENERATOR, 90, 0.1, null));
        double platform =
                cpuMicros.values().stream().mapToDouble(Double::doubleValue).sum();
        return new Costs.Measured(costs, new Costs.Cost(Costs.PLATFORM, platform, 1, null));
    }

    private Plan load(String yaml) throws Exception {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, yaml);
        return Plan.load(file);
    }
}
