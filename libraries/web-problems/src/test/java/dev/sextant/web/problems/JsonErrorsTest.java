package dev.sextant.web.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

class JsonErrorsTest {

    record Step(Double weight) {}

    record Plan(String name, List<Step> steps) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void namesTheFieldAtFaultByItsPath() {
        JacksonException e = catchThrowableOfType(
                JacksonException.class,
                () -> JSON.readValue("{\"steps\": [{\"weight\": 1}, {\"weight\": \"high\"}]}", Plan.class));

        assertThat(JsonErrors.path(e)).isEqualTo(".steps[1].weight");
        assertThat(JsonErrors.describe("request body", e))
                .startsWith("request body.steps[1].weight is not valid: ")
                .contains("Double");
    }

    @Test
    void aDocumentThatIsNotJsonHasNoPath() {
        JacksonException e =
                catchThrowableOfType(JacksonException.class, () -> JSON.readValue("{\"name\": ", Plan.class));

        assertThat(JsonErrors.describe("request body", e)).startsWith("request body is not valid: ");
    }
}
