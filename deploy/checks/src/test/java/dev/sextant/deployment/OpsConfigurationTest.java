package dev.sextant.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testsupport.Commands;
import dev.sextant.testsupport.RequiredTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's Prometheus configuration, alerting rules and Grafana dashboard (deploy/): promtool checks the
 * configuration and the rules, runs the rules' unit tests, and parses every dashboard query (as recording rules).
 * Without promtool (apt-get install prometheus) these checks are skipped, except in CI ({@code CI} set), where
 * .ci/run installs it and its absence fails.
 */
class OpsConfigurationTest {

    static final Path OPS = Services.ROOT.resolve("deploy");
    static final JsonMapper JSON = JsonMapper.builder().build();

    static String promtool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                RequiredTools.require("promtool", "apt-get install prometheus").toString()));
        command.addAll(List.of(arguments));
        return Commands.run(OPS, command.toArray(String[]::new));
    }

    @Test
    void prometheusConfigurationAndAlertingRulesAreValidAndTheirTestsPass() throws Exception {
        assertThat(promtool("check", "config", "prometheus/prometheus.yml")).contains("SUCCESS");
        assertThat(promtool("test", "rules", "prometheus/rules/sextant.rules.test.yml"))
                .contains("SUCCESS");
    }

    @Test
    void everyDashboardQueryParses(@TempDir Path scratch) throws Exception {
        JsonNode dashboard =
                JSON.readTree(OPS.resolve("grafana/dashboards/sextant.json").toFile());
        String datasource = Files.readString(OPS.resolve("grafana/provisioning/datasources/prometheus.yml"));
        Set<Integer> ids = new HashSet<>();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.get("id").intValue()))
                    .as("unique panel ids")
                    .isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.get("x").intValue() + grid.get("w").intValue()).isLessThanOrEqualTo(24);
            for (JsonNode target : panel.path("targets")) {
                assertThat(datasource)
                        .contains("uid: " + target.path("datasource").get("uid").asString());
                String expr = target.get("expr").asString();
                rules.append("      - record: dashboard:query_")
                        .append(queries++)
                        .append("\n        expr: '")
                        .append(expr.replace("'", "''"))
                        .append("'\n");
            }
        }
        assertThat(queries).isGreaterThan(20);
        Path file = scratch.resolve("dashboard.rules.yml");
        Files.writeString(file, rules);
        assertThat(promtool("check", "rules", file.toString())).contains("SUCCESS: " + queries + " rules found");
    }
}
