package dev.sextant.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanTest {

    @TempDir
    Path dir;

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
    }

    private Plan load(String yaml) throws Exception {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, yaml);
        return Plan.load(file);
    }
}
