package dev.sextant.localservers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Redis server as a local process: the machine's {@code redis-server} (on the {@code PATH} or where a package
 * manager puts it), else the binary for this platform that the {@code embedded-redis} jar from Maven Central ships.
 * Nothing is persisted: the server is a cache of what the platform recomputes.
 */
public final class RedisProcess {

    private RedisProcess() {}

    /** A server on {@code 127.0.0.1:port}, its files in {@code directory}; not started. */
    public static LocalServer create(int port, Path directory) {
        return create(port, directory, Executables.find("redis-server").orElseGet(RedisProcess::bundled));
    }

    /** A server from the binary on Maven Central, as on a machine without Redis; not started. */
    static LocalServer createFromBundledBinary(int port, Path directory) {
        return create(port, directory, bundled());
    }

    private static LocalServer create(int port, Path directory, Path executable) {
        LocalProcess.createDirectories(directory);
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
        return new LocalServer(process, port, Duration.ofSeconds(20), () -> {});
    }

    private static Path bundled() {
        String resource = bundledBinary(Platform.current())
                .orElseThrow(() -> new IllegalStateException("no redis-server on the PATH, and none bundled for "
                        + Platform.describeCurrent() + ": install Redis (redis-server) and retry"));
        return Executables.unpack(resource);
    }

    /** The {@code embedded-redis} jar's binary for a platform. */
    static Optional<String> bundledBinary(Optional<Platform> platform) {
        return platform.map(p -> switch (p.os()) {
            case LINUX ->
                p.arch() == Platform.Arch.X86_64
                        ? "redis-server-6.2.6-v5-linux-amd64"
                        : "redis-server-6.2.7-linux-arm64";
            case MACOS ->
                p.arch() == Platform.Arch.X86_64
                        ? "redis-server-6.2.6-v5-darwin-amd64"
                        : "redis-server-6.2.6-v5-darwin-arm64";
        });
    }
}
