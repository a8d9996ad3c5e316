package dev.sextant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.testsupport.RequiredTools.Tool;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A missing tool skips a test on a developer's machine and fails it in CI, naming the tool and how to install it. */
class RequiredToolsTest {

    static final Tool SHELL = new Tool(List.of("no-such-shell", "sh"), "always there");
    static final Tool MISSING = new Tool("sextant-no-such-tool", "apt-get install sextant-no-such-tool");

    @Test
    void aToolIsFoundByAnyOfItsNames() {
        assertThat(RequiredTools.require(true, SHELL)).singleElement().satisfies(path -> assertThat(path)
                .hasFileName("sh"));
    }

    @Test
    void offCiAMissingToolSkipsTheTestNamingHowToInstallIt() {
        assertThatThrownBy(() -> RequiredTools.require(false, SHELL, MISSING))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("sextant-no-such-tool (apt-get install sextant-no-such-tool)");
    }

    @Test
    void inCiAMissingToolFailsTheTest() {
        assertThatThrownBy(() -> RequiredTools.require(true, SHELL, MISSING))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("sextant-no-such-tool")
                .hasMessageContaining(".ci/run installs every tool the tests require");
    }
}
