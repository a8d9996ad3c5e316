package dev.sextant.testsupport;

import dev.sextant.localservers.Ports;
import dev.sextant.localservers.RedisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Redis server for tests. Without Docker it is a {@link RedisProcess} (the machine's {@code redis-server} when
 * installed, else the binary for this platform from Maven Central); with Docker it is the {@code redis} image. {@link #shared()} is started once per JVM and reused by every test class.
 */
public final class RedisServer extends TestServer {

    static final String IMAGE = "redis:7.4-alpine";
    private static volatile RedisServer shared;

    private RedisServer(ServerBackend backend) {
        super(backend);
    }

    /** The server shared by all tests in this JVM; never stop it, use {@link #startDedicated()} for that. */
    public static RedisServer shared() {
        if (shared == null) {
            synchronized (RedisServer.class) {
                if (shared == null) {
                    shared = startDedicated();
                }
            }
        }
        return shared;
    }

    /** A server that the calling test owns, may stop and restart, and closes. */
    public static RedisServer startDedicated() {
        return new RedisServer(Docker.available() ? containerBackend() : processBackend());
    }

    /** {@code redis://host:port}, the form of {@code spring.data.redis.url}. */
    public String url() {
        return "redis://" + host() + ":" + port();
    }

    @Override
    public String toString() {
        return "Redis at " + url() + " (" + backend.describe() + ")";
    }

    private static ServerBackend containerBackend() {
        return new ContainerBackend(new GenericContainer<>(DockerImageName.parse(IMAGE)).withExposedPorts(6379), 6379);
    }

    private static ServerBackend processBackend() {
        try {
            return new ProcessBackend(RedisProcess.create(Ports.free(), Files.createTempDirectory("sextant-redis")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
