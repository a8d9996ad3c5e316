package dev.sextant.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.gateway.security.AccessRules.Access;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpMethod;

class AccessRulesTest {

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
        "GET, /actuator/health, PUBLIC",
        "GET, /actuator/health/readiness, PUBLIC",
        "GET, /actuator/prometheus, PUBLIC",
        "POST, /actuator/health, NOBODY",
        "GET, /openapi/prediction-service, PUBLIC",
        "GET, /swagger-ui.html, PUBLIC",
        "GET, /swagger-ui/index.html, PUBLIC",
        "GET, /v3/api-docs/swagger-config, PUBLIC",
        "POST, /openapi/prediction-service, ADMIN",
        "GET, /actuator/env, NOBODY",
        "GET, /actuatorx, NOBODY",
        "POST, /v2/models/fraud/infer, PREDICT",
        "GET, /v2, PREDICT",
        "POST, /api/v1/predict/fraud, PREDICT",
        "POST, /api/v1/features/online, PREDICT",
        "GET, /api/v1/features/views, PREDICT",
        "GET, /api/v1/models, PREDICT",
        "GET, /api/v1/models/fraud/aliases/champion, PREDICT",
        "HEAD, /api/v1/training/jobs/1, PREDICT",
        "GET, /api/v1/monitoring/models/fraud/drift, PREDICT",
        "GET, /api/v1/models/fraud/versions/1/artifact, ADMIN",
        "GET, /api/v1/models/fraud/aliases/champion/artifact, ADMIN",
        "GET, /api/v1/models/fraud/versions/1/native, ADMIN",
        "GET, /api/v1/models/fraud/versions/1/NATIVE/, ADMIN",
        "GET, /api/v1/features/historical/abc, ADMIN",
        "POST, /api/v1/features/historical, ADMIN",
        "POST, /api/v1/features/push, ADMIN",
        "POST, /api/v1/features/materialize, ADMIN",
        "POST, /api/v1/models/fraud/versions, ADMIN",
        "PUT, /api/v1/models/fraud/aliases/champion, ADMIN",
        "DELETE, /api/v1/models/fraud/aliases/challenger, ADMIN",
        "POST, /api/v1/training/jobs, ADMIN",
        "PUT, /api/v1/monitoring/models/fraud/settings, ADMIN",
        "GET, /api/v1/monitoring/thresholds, PREDICT",
        "PUT, /api/v1/monitoring/thresholds/defaults, ADMIN",
        "PUT, /api/v1/monitoring/thresholds/features/request:amount, ADMIN",
        "DELETE, /api/v1/monitoring/thresholds/features/request:amount, ADMIN",
        "GET, /api/v1/modelsx, ADMIN",
        "GET, /v2x, ADMIN",
        "GET, /elsewhere, ADMIN",
        // the decoded path's spellings: a trailing slash, another case
        "GET, /api/v1/models/fraud/versions/1/artifact/, ADMIN",
        "GET, /api/v1/models/fraud/versions/1/ARTIFACT, ADMIN",
        "GET, /api/v1/features/HISTORICAL/abc, ADMIN",
        "GET, /api/v1/features/views/, PREDICT",
        "GET, /ACTUATOR/env, NOBODY",
        "GET, /Actuator/health, PUBLIC",
    })
    void givesEachRequestTheRoleItsMethodAndPathNeed(String method, String path, Access expected) {
        assertThat(AccessRules.required(HttpMethod.valueOf(method), path)).isEqualTo(expected);
    }
}
