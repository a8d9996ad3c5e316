package dev.sextant.registry;

import dev.sextant.testsupport.WithKafka;
import java.io.IOException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The API contract on the default configuration: the embedded H2 file database. */
@WithKafka
class H2RegistryApiIT extends RegistryApiContract {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestDatabases.h2(registry, "registry-h2");
    }
}
