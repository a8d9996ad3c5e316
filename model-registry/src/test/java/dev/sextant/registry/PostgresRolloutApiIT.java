package dev.sextant.registry;

import dev.sextant.testinfra.KafkaBroker;
import dev.sextant.testinfra.PostgresServer;
import dev.sextant.testinfra.WithKafka;
import dev.sextant.testinfra.WithPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The rollout API contract on the {@code postgres} profile against a real PostgreSQL server. */
@WithKafka
@WithPostgres
@ActiveProfiles("postgres")
class PostgresRolloutApiIT extends RolloutApiContract {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path dataDir = Files.createTempDirectory("rollouts-pg");
        PostgresServer.Database database = PostgresServer.shared().createDatabase();
        registry.add("sextant.registry.data-dir", dataDir::toString);
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
        registry.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
    }
}
