package dev.sextant.training;

import dev.sextant.testsupport.ErrorContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The orchestrator keeps the platform's error contract (test-support's ErrorContract) on its jobs API. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:mem:errors;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
            "spring.kafka.bootstrap-servers=127.0.0.1:1",
            "spring.kafka.listener.auto-startup=false",
            "sextant.training.labels.enabled=false",
            "sextant.training.retrain.enabled=false",
            "sextant.training.registry-url=http://127.0.0.1:1",
            "sextant.training.feature-store-url=http://127.0.0.1:1"
        })
class ErrorContractIT {

    @LocalServerPort
    int port;

    @Test
    void refusesWhatItCannotReadWithProblemsNamingTheFault() {
        ErrorContract.of("http://127.0.0.1:" + port, Map.of("X-Sextant-Actor", "error-contract"))
                .check(new ErrorContract.JsonEndpoint(
                        "POST",
                        "/api/v1/training/jobs",
                        "{\"model\": \"m\", \"features\": [{\"ref\": \"card:txn_count_1h\", \"default\": \"none\"}]}",
                        "request body.features[0].default is not valid"));
    }
}
