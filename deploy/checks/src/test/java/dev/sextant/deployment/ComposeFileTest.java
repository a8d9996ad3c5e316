package dev.sextant.deployment;

import static dev.sextant.deployment.Services.configuration;
import static dev.sextant.deployment.Services.port;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testsupport.Commands;
import dev.sextant.testsupport.RequiredTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml against the services themselves (no Docker engine needed): every service is there under its
 * one name (folder = artifactId = spring.application.name = compose service), on its own port, built from its
 * Dockerfile (layered, non-root); every environment variable is one its configuration reads; every URL between
 * services names a compose service on that service's port; the Prometheus scrape configurations agree. And
 * {@code docker-compose config} (Debian's docker-compose) accepts the file: skipped without it on a developer
 * machine, required in CI ({@code CI} set), where .ci/run installs it.
 */
class ComposeFileTest {

    static final Path ROOT = Services.ROOT;
    static final List<String> SERVICES = Services.NAMES;
    static final Pattern SERVICE_URL = Pattern.compile("^https?://([a-z0-9-]+):(\\d+)");

    static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        assertThat(services).as("compose services").containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    static Stream<String> services() {
        return SERVICES.stream();
    }

    @ParameterizedTest
    @MethodSource("services")
    @SuppressWarnings("unchecked")
    void eachServiceHasItsNamePortAndImage(String name) throws IOException {
        Map<String, String> configuration = configuration(name);
        assertThat(configuration.get("spring.application.name")).isEqualTo(name);
        int port = port(name);
        Map<String, Object> service = service(name);
        assertThat(((Map<String, Object>) service.get("build")).get("dockerfile"))
                .isEqualTo(name + "/Dockerfile");
        assertThat(service.get("image").toString()).startsWith("sextant/" + name + ":");
        assertThat(service).containsKey("mem_limit");
        assertThat(((Map<String, Object>) service.get("healthcheck"))
                        .get("test")
                        .toString())
                .contains("/dev/tcp/127.0.0.1/" + port + " ")
                .contains("/actuator/health/readiness")
                // the status line: a group that is not ready still lists components that are UP
                .contains("head -n 1 <&3 | grep -q ' 200 '");

        String dockerfile = Files.readString(ROOT.resolve(name).resolve("Dockerfile"));
        assertThat(dockerfile)
                .contains("COPY " + name + "/target/" + name + ".jar app.jar")
                .contains("extract --layers --launcher")
                .contains("EXPOSE " + port + "\n")
                .containsPattern("(?m)^USER 10001")
                .contains("org.springframework.boot.loader.launch.JarLauncher");
        if (configuration.values().stream().anyMatch(value -> value.contains("${SEXTANT_DATA_DIR"))) {
            assertThat(dockerfile).contains("ENV SEXTANT_DATA_DIR=/data").contains("VOLUME /data");
            assertThat((List<String>) service.get("volumes")).anyMatch(volume -> volume.endsWith(":/data"));
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    @SuppressWarnings("unchecked")
    void everyEnvironmentVariableIsOneTheServiceReads(String name) throws IOException {
        Map<String, String> configuration = configuration(name);
        Map<String, Object> environment = (Map<String, Object>) service(name).get("environment");
        for (var variable : environment.entrySet()) {
            String key = variable.getKey();
            String value = String.valueOf(variable.getValue());
            assertThat(Services.reads(name, key, value))
                    .as("%s=%s of %s: not a variable its configuration reads", key, value, name)
                    .isTrue();
            Matcher url = SERVICE_URL.matcher(value);
            if (url.find()) {
                assertThat(SERVICES)
                        .as("%s=%s names a Sextant service", key, value)
                        .contains(url.group(1));
                assertThat(Integer.parseInt(url.group(2)))
                        .as("%s=%s: the port of %s", key, value, url.group(1))
                        .isEqualTo(port(url.group(1)));
                assertThat((Map<String, Object>) service(name).get("depends_on"))
                        .as("%s starts after %s", name, url.group(1))
                        .satisfiesAnyOf(
                                depends -> assertThat(depends).containsKey(url.group(1)),
                                depends -> assertThat(name).isIn("monitoring", "gateway"));
            }
        }
        if (configuration.containsKey("spring.kafka.bootstrap-servers")) {
            assertThat(environment).containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        }
        if (configuration.containsKey("spring.data.redis.url")) {
            assertThat(environment).containsEntry("SPRING_DATA_REDIS_URL", "redis://redis:6379");
        }
    }

    /**
     * The trust boundary in compose: clients reach the platform only through the gateway. No other container is
     * published (no service, no Redis, Kafka, PostgreSQL or Prometheus); Grafana only on the host's loopback,
     * without anonymous access, behind the admin password {@code ./sextant keys} generates. Each service listens on
     * every interface inside its container (its own default is loopback).
     */
    @Test
    @SuppressWarnings("unchecked")
    void publishesOnlyTheGatewayAndGrafanaOnLoopbackBehindAGeneratedPassword() throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        services.forEach((name, definition) -> {
            Object ports = ((Map<String, Object>) definition).get("ports");
            switch (name) {
                case "gateway" -> assertThat((List<String>) ports).containsExactly("8080:8080");
                case "grafana" -> assertThat((List<String>) ports).containsExactly("127.0.0.1:3000:3000");
                default -> assertThat(ports).as("ports published by %s", name).isNull();
            }
            assertThat(((Map<String, Object>) definition).get("network_mode"))
                    .as("network_mode of %s", name)
                    .isNull();
        });
        Map<String, Object> grafana = (Map<String, Object>) service("grafana").get("environment");
        assertThat(grafana)
                .containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "false")
                .containsEntry("GF_SECURITY_ADMIN_PASSWORD__FILE", "/run/secrets/grafana-admin-password")
                .doesNotContainKey("GF_SECURITY_ADMIN_PASSWORD");
        assertThat((List<String>) service("grafana").get("volumes"))
                .contains("./data/grafana/admin-password:/run/secrets/grafana-admin-password:ro");
        assertThat(Files.readString(ROOT.resolve("sextant")))
                .contains("random_secret >\"$data/grafana/admin-password\"");
        for (String name : SERVICES) {
            assertThat(configuration(name).get("server.address"))
                    .as("%s listens on loopback unless told otherwise", name)
                    .isEqualTo(name.equals("gateway") ? null : "127.0.0.1");
            if (!name.equals("gateway")) {
                assertThat((Map<String, Object>) service(name).get("environment"))
                        .containsEntry("SERVER_ADDRESS", "0.0.0.0");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDatabasesTheServicesUseAreCreated() throws IOException {
        Map<String, Object> postgres = (Map<String, Object>) service("postgres").get("environment");
        String init = Files.readString(ROOT.resolve("deploy/compose/postgres-init.sql"));
        for (String name : SERVICES) {
            Map<String, Object> environment =
                    (Map<String, Object>) service(name).get("environment");
            Object url = environment.get("SPRING_DATASOURCE_URL");
            if (url == null) {
                continue;
            }
            String database = url.toString().replaceFirst("^jdbc:postgresql://postgres:5432/", "");
            assertThat(database.equals(postgres.get("POSTGRES_DB")) || init.contains("CREATE DATABASE " + database))
                    .as("database %s of %s is created", database, name)
                    .isTrue();
            assertThat(environment.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(postgres.get("POSTGRES_USER"));
        }
    }

    @Test
    void prometheusScrapesEveryServiceOnItsPort() throws IOException {
        String compose = Files.readString(ROOT.resolve("deploy/compose/prometheus-targets.yml"));
        String local = Files.readString(ROOT.resolve("deploy/prometheus/targets/local.yml"));
        for (String name : SERVICES) {
            int port = port(name);
            assertThat(compose).contains("{targets: [\"" + name + ":" + port + "\"], labels: {job: " + name + "}}");
            assertThat(local).contains("{targets: [\"localhost:" + port + "\"], labels: {job: " + name + "}}");
        }
        assertThat(Files.readString(ROOT.resolve("docker-compose.yml")))
                .as("compose runs the one Prometheus configuration, with its own targets")
                .contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro")
                .contains("./deploy/compose/prometheus-targets.yml:/etc/prometheus/targets/compose.yml:ro");
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        RequiredTools.require("docker-compose", "apt-get install docker-compose");
        Commands.run(ROOT, "docker-compose", "-f", "docker-compose.yml", "config", "-q");
    }
}
