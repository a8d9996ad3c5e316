package dev.sextant.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testsupport.Commands;
import dev.sextant.testsupport.RequiredTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Every overlay of k8s/ rendered with {@code kubectl kustomize} (offline), each object validated against the
 * Kubernetes API's schemas (kubernetes-models, src/test/kubernetes), and checked against the services themselves:
 * names, ports, probes on the actuator groups on the actuator's own port (the only one the monitoring namespace
 * reaches), resources, non-root read-only pods, the environment each service
 * reads, the URLs between services; autoscaling, disruption budgets and network policies for the request path; the
 * development infrastructure only where it belongs; the GPU overlay's CUDA image and GPU. Skipped without kubectl or
 * node on a developer machine, required in CI ({@code CI} set).
 */
class KubernetesManifestsTest {

    static final Path VALIDATOR = Path.of("src/test/kubernetes").toAbsolutePath();
    static final Pattern SERVICE_URL = Pattern.compile("^(?:https?|jdbc:postgresql|redis)://([a-z0-9-]+):(\\d+)");
    static final Map<String, Integer> INFRASTRUCTURE = Map.of("redis", 6379, "kafka", 9092, "postgres", 5432);

    @BeforeAll
    static void tools() throws Exception {
        RequiredTools.require(
                new RequiredTools.Tool("kubectl", "https://kubernetes.io/docs/tasks/tools/"),
                new RequiredTools.Tool("node", "apt-get install nodejs"),
                new RequiredTools.Tool("npm", "apt-get install npm"));
        if (!Files.isDirectory(VALIDATOR.resolve("node_modules/kubernetes-models"))) {
            Commands.run(VALIDATOR, "npm", "ci", "--no-audit", "--no-fund");
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(String overlay) throws Exception {
        String rendered = Commands.run(Services.ROOT, "kubectl", "kustomize", "k8s/overlays/" + overlay);
        Path file = Files.createTempFile("sextant-" + overlay, ".yaml");
        Files.writeString(file, rendered);
        String report = Commands.run(VALIDATOR, "node", "validate.mjs", file.toString());
        assertThat(report).as("schema validation of %s", overlay).contains("\"errors\":[]}");
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(rendered)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        assertThat(report).contains("\"objects\":" + objects.size() + ",");
        return objects;
    }

    static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.get("kind"))
                        && name.equals(map(o, "metadata").get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(kind + "/" + name + " is missing"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) Objects.requireNonNull(parent.get(key), key);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) Objects.requireNonNull(parent.get(key), key);
    }

    /** The actuator's port of a service: MANAGEMENT_SERVER_PORT in its ConfigMap. */
    static int managementPort(List<Map<String, Object>> objects, String name) {
        Object port = map(find(objects, "ConfigMap", name), "data").get("MANAGEMENT_SERVER_PORT");
        assertThat(port).as("MANAGEMENT_SERVER_PORT of %s", name).isNotNull();
        return Integer.parseInt(port.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production", "gpu"})
    void eachServiceRunsAsConfiguredSafelyAndReachably(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        assertThat(objects)
                .allSatisfy(o -> assertThat(map(o, "metadata").get("name")).isNotNull());
        for (String name : Services.NAMES) {
            int port = Services.port(name);
            Map<String, Object> deployment = find(objects, "Deployment", name);
            assertThat(map(deployment, "metadata").get("namespace")).isEqualTo("sextant");
            Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
            assertThat(pod.get("serviceAccountName")).isEqualTo(name);
            Map<String, Object> podSecurity = map(pod, "securityContext");
            assertThat(podSecurity).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001);
            assertThat(map(podSecurity, "seccompProfile")).containsEntry("type", "RuntimeDefault");
            Map<String, Object> container = list(pod, "containers").get(0);
            assertThat(container.get("image").toString()).startsWith("sextant/" + name + ":");
            assertThat(list(container, "ports").get(0)).containsEntry("containerPort", port);
            // The actuator on a port of its own: probes and Prometheus there, the API port for callers only.
            int management = managementPort(objects, name);
            assertThat(management).isNotEqualTo(port);
            assertThat(list(container, "ports")).contains(Map.of("name", "management", "containerPort", management));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(map(map(container, probe), "httpGet"))
                        .as("%s of %s", probe, name)
                        .containsEntry("port", "management");
            }
            assertThat(map(map(container, "readinessProbe"), "httpGet"))
                    .containsEntry("path", "/actuator/health/readiness");
            assertThat(map(map(container, "livenessProbe"), "httpGet"))
                    .containsEntry("path", "/actuator/health/liveness");
            assertThat(map(map(map(deployment, "spec"), "template"), "metadata").get("annotations"))
                    .asString()
                    .contains("prometheus.io/port=" + management);
            // The monitoring namespace (Prometheus) reaches the actuator's port and no other.
            for (Map<String, Object> rule : list(map(find(objects, "NetworkPolicy", name), "spec"), "ingress")) {
                boolean fromMonitoringNamespace =
                        String.valueOf(rule.get("from")).contains("sextant.dev/monitoring");
                if (fromMonitoringNamespace) {
                    assertThat(list(rule, "ports"))
                            .as("ports the monitoring namespace reaches on %s", name)
                            .containsExactly(Map.of("port", management));
                }
            }
            Map<String, Object> resources = map(container, "resources");
            assertThat(map(resources, "requests")).containsKeys("cpu", "memory");
            assertThat(map(resources, "limits")).containsKey("memory");
            Map<String, Object> security = map(container, "securityContext");
            assertThat(security)
                    .containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("allowPrivilegeEscalation", false);
            assertThat(map(security, "capabilities").get("drop")).isEqualTo(List.of("ALL"));

            Map<String, Object> service = find(objects, "Service", name);
            assertThat(list(map(service, "spec"), "ports").get(0)).containsEntry("port", port);
            find(objects, "ServiceAccount", name);
            find(objects, "NetworkPolicy", name);

            Map<String, Object> environment = map(find(objects, "ConfigMap", name), "data");
            for (var variable : environment.entrySet()) {
                String value = String.valueOf(variable.getValue());
                assertThat(Services.reads(name, variable.getKey(), value))
                        .as("%s=%s of %s: not a variable its configuration reads", variable.getKey(), value, name)
                        .isTrue();
                Matcher url = SERVICE_URL.matcher(value);
                if (url.find() && !url.group(1).contains(".")) {
                    String target = url.group(1);
                    int expected = !Services.NAMES.contains(target)
                            ? Objects.requireNonNull(INFRASTRUCTURE.get(target), target)
                            : variable.getKey().endsWith("_MANAGEMENT_URL")
                                    ? managementPort(objects, target)
                                    : Services.port(target);
                    assertThat(Integer.parseInt(url.group(2)))
                            .as("%s=%s", variable.getKey(), value)
                            .isEqualTo(expected);
                    find(objects, "Service", target);
                }
            }
        }
        find(objects, "NetworkPolicy", "default-deny-ingress");
        for (String scaled : List.of("gateway", "prediction-service")) {
            find(objects, "HorizontalPodAutoscaler", scaled);
            find(objects, "PodDisruptionBudget", scaled);
        }
        find(objects, "Role", "training-orchestrator");
        assertThat(map(find(objects, "Namespace", "sextant"), "metadata").toString())
                .contains("pod-security.kubernetes.io/enforce=restricted");

        boolean development = overlay.equals("local");
        for (String infrastructure : INFRASTRUCTURE.keySet()) {
            assertThat(objects.stream()
                            .anyMatch(o -> "Service".equals(o.get("kind"))
                                    && infrastructure.equals(map(o, "metadata").get("name"))))
                    .as("%s in overlay %s", infrastructure, overlay)
                    .isEqualTo(development);
        }
        assertThat(objects.stream().anyMatch(o -> "Secret".equals(o.get("kind"))))
                .as("development credentials only in the local overlay")
                .isEqualTo(development);

        Map<String, Object> prediction = list(
                        map(map(map(find(objects, "Deployment", "prediction-service"), "spec"), "template"), "spec"),
                        "containers")
                .get(0);
        boolean gpu = overlay.equals("gpu");
        assertThat(prediction.get("image").toString().endsWith("-cuda")).isEqualTo(gpu);
        assertThat(map(map(prediction, "resources"), "limits").containsKey("nvidia.com/gpu"))
                .isEqualTo(gpu);
    }
}
