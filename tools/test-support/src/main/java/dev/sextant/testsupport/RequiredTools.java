package dev.sextant.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.localservers.Executables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Command-line tools a test drives (promtool, kubectl, node, Chromium, nginx...), found as every program is found
 * ({@link Executables}: the {@code PATH}, then where package managers put them). On a developer's machine a missing
 * tool skips the test, naming how to install it; in CI ({@code CI} set) it fails the test, since {@code .ci/run}
 * installs every tool a test requires.
 */
public final class RequiredTools {

    private RequiredTools() {}

    /** A tool and how to get it: any of its names (Chromium is {@code chromium} or {@code chromium-browser}). */
    public record Tool(List<String> names, String install) {

        public Tool(String name, String install) {
            this(List.of(name), install);
        }

        Optional<Path> find() {
            return names.stream()
                    .map(Executables::find)
                    .flatMap(Optional::stream)
                    .findFirst();
        }
    }

    /** Where each tool is, in order; the test is skipped (or, in CI, failed) when any of them is missing. */
    public static List<Path> require(Tool... tools) {
        return require(System.getenv("CI") != null, tools);
    }

    /** {@link #require(Tool...)} with one tool. */
    public static Path require(String name, String install) {
        return require(new Tool(name, install)).get(0);
    }

    static List<Path> require(boolean inCi, Tool... tools) {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Tool tool : tools) {
            tool.find()
                    .ifPresentOrElse(
                            found::add,
                            () -> missing.add(String.join(" or ", tool.names()) + " (" + tool.install() + ")"));
        }
        String message = "missing: " + String.join(", ", missing);
        if (inCi && !missing.isEmpty()) {
            throw new AssertionError(message + "; .ci/run installs every tool the tests require");
        }
        assumeTrue(missing.isEmpty(), message);
        return found;
    }
}
