package dev.sextant.registry;

import dev.sextant.testsupport.WithKafka;
import dev.sextant.testsupport.WithPostgres;
import java.io.IOException;
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
        TestDatabases.postgres(registry, "rollouts-pg");
    }
}
