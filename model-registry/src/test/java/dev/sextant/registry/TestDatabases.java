package dev.sextant.registry;

import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The metadata databases the API contracts run on, with the shared Kafka broker and a data directory of their own. */
final class TestDatabases {

    private TestDatabases() {}

    /** The default configuration: the embedded H2 file database. */
    static void h2(DynamicPropertyRegistry registry, String name) throws IOException {
        common(registry, name);
    }

    /** A fresh database on the shared PostgreSQL server (with the {@code postgres} profile). */
    static void postgres(DynamicPropertyRegistry registry, String name) throws IOException {
        common(registry, name);
        PostgresServer.Database database = PostgresServer.shared().createDatabase();
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }

    private static void common(DynamicPropertyRegistry registry, String name) throws IOException {
        Path dataDir = Files.createTempDirectory(name);
        registry.add("sextant.registry.data-dir", dataDir::toString);
        registry.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
    }
}
