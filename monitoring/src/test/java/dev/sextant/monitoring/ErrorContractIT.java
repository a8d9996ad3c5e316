package dev.sextant.monitoring;

import dev.sextant.testsupport.ErrorContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Monitoring keeps the platform's error contract (test-support's ErrorContract) on its thresholds API, which reads
 * the JSON itself and names a statistic of the wrong shape; a body is refused before Kafka is written, so none runs
 * here.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=127.0.0.1:1",
            "spring.kafka.listener.auto-startup=false",
            "sextant.monitoring.registry-url=http://127.0.0.1:1"
        })
class ErrorContractIT {

    @LocalServerPort
    int port;

    @Test
    void refusesWhatItCannotReadWithProblemsNamingTheFault() {
        ErrorContract.of("http://127.0.0.1:" + port, Map.of())
                .check(new ErrorContract.JsonEndpoint(
                        "PUT",
                        "/api/v1/monitoring/thresholds/defaults",
                        "{\"psi\": {\"warn\": \"low\", \"alert\": 0.25}}",
                        "psi must be {\"warn\": <number>, \"alert\": <number>}"));
    }
}
