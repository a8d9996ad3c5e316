package dev.sextant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@WithPostgres
class PostgresServerIT {

    @Test
    void eachCreatedDatabaseIsEmptyAndSeparate(PostgresServer postgres) throws SQLException {
        PostgresServer.Database first = postgres.createDatabase();
        PostgresServer.Database second = postgres.createDatabase();
        assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl());

        try (Connection connection = connect(first);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO t VALUES (1)");
        }
        try (Connection connection = connect(second);
                Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery(
                        "SELECT count(*) FROM information_schema.tables WHERE table_name = 't'")) {
            tables.next();
            assertThat(tables.getInt(1)).isZero();
        }
    }

    @Test
    void serverIsARealPostgresql(PostgresServer postgres) throws SQLException {
        try (Connection connection = connect(postgres.createDatabase());
                Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("SHOW server_version_num")) {
            version.next();
            assertThat(Integer.parseInt(version.getString(1))).isGreaterThanOrEqualTo(140000);
        }
    }

    @Test
    void dedicatedServerKeepsItsDataAcrossARestartOnTheSamePort() throws SQLException {
        try (PostgresServer postgres = PostgresServer.startDedicated()) {
            PostgresServer.Database database = postgres.createDatabase();
            try (Connection connection = connect(database);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id INT)");
                statement.execute("INSERT INTO kept VALUES (42)");
            }
            postgres.stop();
            assertThatThrownBy(() -> connect(database)).isInstanceOf(SQLException.class);

            postgres.start();
            try (Connection connection = connect(database);
                    Statement statement = connection.createStatement();
                    ResultSet kept = statement.executeQuery("SELECT id FROM kept")) {
                kept.next();
                assertThat(kept.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void bundledBinariesFromMavenCentralRunWhereNoPostgresqlIsInstalled() throws SQLException {
        try (PostgresServer bundled = PostgresServer.startFromBundledBinaries();
                Connection connection = connect(bundled.createDatabase());
                Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("SHOW server_version_num")) {
            version.next();
            assertThat(version.getString(1)).startsWith("16");
        }
    }

    private static Connection connect(PostgresServer.Database database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
