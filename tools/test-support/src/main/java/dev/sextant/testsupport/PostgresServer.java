package dev.sextant.testsupport;

import dev.sextant.localservers.PostgresProcess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real PostgreSQL server for tests. Without Docker it is a {@link PostgresProcess} (the machine's PostgreSQL when
 * installed, else the binaries for this platform from Maven Central); with Docker it is the {@code postgres} image. Each test class takes its own database with
 * {@link #createDatabase()}, so one server started once per JVM serves them all.
 */
public final class PostgresServer extends TestServer {

    static final String IMAGE = "postgres:16-alpine";
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

    /** Connection settings of one database: the values of {@code spring.datasource.*}. */
    public record Database(String jdbcUrl, String username, String password) {}

    /** A server that the calling test owns, may stop and restart, and closes. */
    public static PostgresServer startDedicated() {
        if (Docker.available()) {
            PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(IMAGE));
            return new PostgresServer(
                    new ContainerBackend(container, 5432), container.getUsername(), container.getPassword());
        }
        return new PostgresServer(new ProcessBackend(PostgresProcess.create()), PostgresProcess.SUPERUSER, "");
    }

    /** A server from the PostgreSQL binaries on Maven Central, as on a machine without PostgreSQL. */
    static PostgresServer startFromBundledBinaries() {
        return new PostgresServer(
                new ProcessBackend(PostgresProcess.createFromBundledBinaries()), PostgresProcess.SUPERUSER, "");
    }
}
