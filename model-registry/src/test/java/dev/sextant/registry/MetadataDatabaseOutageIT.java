package dev.sextant.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.testsupport.KafkaBroker;
import dev.sextant.testsupport.OnnxModels;
import dev.sextant.testsupport.PostgresServer;
import dev.sextant.testsupport.WithKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * PostgreSQL goes away under a running registry: requests get a fast 503 problem and readiness turns DOWN;
 * when the database returns, the same registry serves again without a restart, and what was stored is there.
 */
@WithKafka
@ActiveProfiles("postgres")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.connection-timeout=2000")
@AutoConfigureRestTestClient
class MetadataDatabaseOutageIT {

    private static final PostgresServer POSTGRES = PostgresServer.startDedicated();

    @Autowired
    RestTestClient http;

    @Autowired
    JsonMapper json;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        String dataDir = Files.createTempDirectory("registry-db-outage").toString();
        PostgresServer.Database database = POSTGRES.createDatabase();
        registry.add("sextant.registry.data-dir", () -> dataDir);
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
        registry.add(
                "spring.kafka.bootstrap-servers", () -> KafkaBroker.shared().bootstrapServers());
    }

    @AfterAll
    static void stopPostgres() {
        POSTGRES.close();
    }

    @Test
    void aDatabaseOutageIsA503AndTheRegistryRecoversByItself() {
        RegistryTestClient client = new RegistryTestClient(http, json);
        String name = RegistryTestClient.uniqueName("db-outage");
        client.register(name, OnnxModels.logisticRegression(new float[] {1f, 2f}, 0f), null);

        POSTGRES.stop();
        client.expectProblem(
                http.get().uri("/api/v1/models/{name}", name).exchange(), 503, "metadata database is unavailable");
        client.expectProblem(client.setAlias(name, "champion", 1, "alice"), 503, "metadata database is unavailable");
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);

        POSTGRES.start();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk());
        assertThat(client.getJson("/api/v1/models/" + name)
                        .get("latest_version")
                        .asInt())
                .isEqualTo(1);
        client.setAlias(name, "champion", 1, "alice").expectStatus().isOk();
        assertThat(client.register(name, OnnxModels.logisticRegression(new float[] {2f, 1f}, 0f), null)
                        .get("version")
                        .asInt())
                .isEqualTo(2);
    }
}
