package dev.sextant.features;

import dev.sextant.testsupport.ErrorContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The feature store keeps the platform's error contract (test-support's ErrorContract) on its online read; the
 * request is refused before Redis is asked, so none runs here.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.data.redis.url=redis://127.0.0.1:1", "spring.kafka.bootstrap-servers=127.0.0.1:1"})
class ErrorContractIT {

    @LocalServerPort
    int port;

    @Test
    void refusesWhatItCannotReadWithProblemsNamingTheFault() {
        ErrorContract.of("http://127.0.0.1:" + port, Map.of())
                .check(new ErrorContract.JsonEndpoint(
                        "POST",
                        "/api/v1/features/online",
                        "{\"features\": [\"card:txn_count_1h\"], \"entities\": {\"card_id\": \"c-1\"}}",
                        "request body.entities.card_id is not valid"));
    }
}
