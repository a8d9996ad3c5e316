package dev.sextant.registry;

import dev.sextant.testsupport.ErrorContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The registry keeps the platform's error contract (test-support's ErrorContract) on its rollout API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ErrorContractIT {

    @LocalServerPort
    int port;

    @Test
    void refusesWhatItCannotReadWithProblemsNamingTheFault() {
        ErrorContract.of("http://127.0.0.1:" + port, Map.of())
                .check(new ErrorContract.JsonEndpoint(
                        "POST",
                        "/api/v1/models/contract/rollouts",
                        "{\"strategy\": \"canary\", \"steps\": [{\"weight\": \"high\"}]}",
                        "request body.steps[0].weight is not valid"));
    }
}
