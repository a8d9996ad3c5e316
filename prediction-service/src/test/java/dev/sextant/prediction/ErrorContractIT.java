package dev.sextant.prediction;

import dev.sextant.testsupport.ErrorContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The prediction service keeps the platform's error contract (test-support's ErrorContract) on its domain API; a
 * request is refused before any model or feature is looked up, so no registry, Kafka or Redis runs here. (The Open
 * Inference Protocol's endpoints answer errors in the protocol's own {@code {"error": ...}} form instead.)
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sextant.prediction.reconcile-interval=1h", "spring.kafka.listener.auto-startup=false"})
class ErrorContractIT {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void nothingListens(DynamicPropertyRegistry properties) {
        ReadinessIT.nothingListens(properties);
    }

    @Test
    void refusesWhatItCannotReadWithProblemsNamingTheFault() {
        ErrorContract.of("http://127.0.0.1:" + port, Map.of())
                .check(new ErrorContract.JsonEndpoint(
                        "POST",
                        "/api/v1/predict/fraud-detector",
                        "{\"entities\": [\"c-1\"]}",
                        "request body.entities is not valid"));
    }
}
