package dev.sextant.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * What the deployment files are checked against: the services themselves (their application*.yml), and the tools
 * the checks run.
 */
final class Services {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final List<String> NAMES = List.of(
            "gateway", "prediction-service", "feature-store", "model-registry", "training-orchestrator", "monitoring");

    private Services() {}

    /** A service's configuration files, flattened to dotted keys (application.yml and its profiles). */
    static Map<String, String> configuration(String service) throws IOException {
        Map<String, String> flat = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve(service).resolve("src/main/resources"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("application(-.+)?\\.yml"))
                    .toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    flatten("", document, flat);
                }
            }
        }
        return flat;
    }

    private static void flatten(String prefix, Object node, Map<String, String> flat) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? key.toString() : prefix + "." + key, value, flat));
        } else {
            flat.put(prefix, String.valueOf(node));
        }
    }

    static int port(String service) throws IOException {
        return Integer.parseInt(configuration(service).get("server.port"));
    }

    /**
     * Whether a service reads an environment variable: a {@code ${NAME:…}} placeholder in its configuration, or a
     * property of it under Spring's relaxed binding (lower case, separators dropped), or a Spring Boot variable every
     * service takes ({@code SPRING_PROFILES_ACTIVE} naming a profile file it has, {@code SPRING_CONFIG_IMPORT},
     * {@code MANAGEMENT_SERVER_PORT} for the actuator's own port, {@code JAVA_TOOL_OPTIONS} for the JVM).
     */
    static boolean reads(String service, String variable, String value) throws IOException {
        Map<String, String> configuration = configuration(service);
        if (variable.equals("SPRING_PROFILES_ACTIVE")) {
            return Stream.of(value.split(","))
                    .allMatch(profile -> Files.exists(
                            ROOT.resolve(service).resolve("src/main/resources/application-" + profile + ".yml")));
        }
        if (variable.equals("SPRING_CONFIG_IMPORT")
                || variable.equals("JAVA_TOOL_OPTIONS")
                || variable.equals("MANAGEMENT_SERVER_PORT")) {
            return true;
        }
        String raw = Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.yml"));
        return raw.contains("${" + variable + ":")
                || configuration.values().stream().anyMatch(v -> v.contains("${" + variable + ":"))
                || configuration.keySet().stream().map(Services::relaxed).anyMatch(relaxed(variable)::equals);
    }

    static String relaxed(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
