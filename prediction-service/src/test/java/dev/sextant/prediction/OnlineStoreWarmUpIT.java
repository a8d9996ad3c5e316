package dev.sextant.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.localservers.Ports;
import dev.sextant.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service connects to the online store and reads it once while it starts, before any request: the first
 * domain prediction does not pay for Lettuce's connection on a cold JVM. ReadinessIT starts it with Redis down.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sextant.prediction.reconcile-interval=1h", "spring.kafka.listener.auto-startup=false"})
class OnlineStoreWarmUpIT {

    private static final RedisServer REDIS = RedisServer.startDedicated();

    @Autowired
    FeatureRepository repository;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry properties) {
        properties.add("spring.data.redis.url", REDIS::url);
        int registry = Ports.free();
        properties.add("sextant.prediction.registry.url", () -> "http://127.0.0.1:" + registry);
        int kafka = Ports.free();
        properties.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + kafka);
    }

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void connectsAndReadsEveryViewOnceBeforeTheFirstRequest() {
        RedisClient client = RedisClient.create(REDIS.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String clients = connection.sync().clientList();
            String commands = connection.sync().info("commandstats");
            // this test's own connection, and the service's
            assertThat(clients.lines().count()).as(clients).isEqualTo(2);
            assertThat(commands)
                    .contains("cmdstat_hmget:calls=" + repository.views().size() + ",");
        } finally {
            client.shutdown();
        }
    }
}
