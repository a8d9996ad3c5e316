package dev.sextant.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Whether test servers run as Testcontainers (a Docker engine is reachable) or as local processes. The
 * system property or environment variable {@code SEXTANT_TEST_DOCKER} ({@code true}/{@code false}) forces a
 * choice; without it the engine is probed once per JVM (skipped, quietly, where no Docker socket exists).
 */
public final class Docker {

    private static final Logger log = LoggerFactory.getLogger(Docker.class);
    private static volatile Boolean available;

    private Docker() {}

    public static boolean available() {
        Boolean result = available;
        if (result == null) {
            synchronized (Docker.class) {
                result = available;
                if (result == null) {
                    result = probe();
                    available = result;
                    log.info("test servers run {}", result ? "in Docker (Testcontainers)" : "as local processes");
                }
            }
        }
        return result;
    }

    private static boolean probe() {
        String forced = System.getProperty("SEXTANT_TEST_DOCKER", System.getenv("SEXTANT_TEST_DOCKER"));
        if (forced != null && !forced.isBlank()) {
            return Boolean.parseBoolean(forced.trim());
        }
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            log.debug("Docker probe failed", e);
            return false;
        }
    }
}
