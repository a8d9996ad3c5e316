package dev.sextant.registry;

import dev.sextant.testinfra.KafkaBroker;
import dev.sextant.testinfra.WithKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The rollout API contract on the default configuration: the embedded H2 file database. */
@WithKafka
class H2RolloutApiIT extends RolloutApiContract {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path dataDir = Files.createTempDirectory("rollouts-h2");
        registry.add("sextant.registry.data-dir", dataDir::toString);
        registry.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
    }
}
