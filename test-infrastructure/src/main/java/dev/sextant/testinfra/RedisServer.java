package dev.sextant.testinfra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Redis server for tests. Without Docker it is the machine's {@code redis-server} when installed, else
 * the Linux binary that the {@code embedded-redis} jar ships, started as a local process; with Docker it is
 * the {@code redis} image. {@link #shared()} is started once per JVM and reused by every test class.
 */
public final class RedisServer extends TestServer {

    static final String IMAGE = "redis:7.4-alpine";
    private static final String EMBEDDED_BINARY = "redis-server-6.2.6-v5-linux-amd64";
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

    /**
     * A server run as a local process on a chosen port, its files in {@code directory}: the local platform's
     * Redis ({@link LocalRedis}).
     */
    static RedisServer startLocalProcess(int port, Path directory) {
        LocalProcess.createDirectories(directory);
        return new RedisServer(processBackend(port, directory));
    }

    private static ServerBackend processBackend() {
        return processBackend(Ports.free(), LocalProcess.temporaryDirectory("sextant-redis"));
    }

    private static ServerBackend processBackend(int port, Path directory) {
        Path executable = Executables.find("redis-server", List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin")))
                .orElseGet(() -> Executables.unpack(EMBEDDED_BINARY));
        List<String> command = List.of(
                executable.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                directory.toString());
        LocalProcess process = new LocalProcess("redis-server", command, Map.of(), directory.resolve("redis.log"));
        return new ProcessBackend(process, port, Duration.ofSeconds(20), () -> {});
    }
}
