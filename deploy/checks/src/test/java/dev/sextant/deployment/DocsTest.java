package dev.sextant.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs stay true to the repository: every relative link in every markdown file leads to a file of the repository
 * (a clone has nothing beside it), and
 * docs/architecture.md maps every folder (each top-level one, and each one inside the folders that group modules).
 */
class DocsTest {

    static final Path ROOT = Services.ROOT;
    /** Build output, local state and installed packages: never part of the repository. */
    static final Set<String> NOT_SOURCES =
            Set.of("target", "data", "node_modules", ".git", ".idea", ".vscode", ".sextant");
    /** Folders whose sub-folders are the modules or parts the map names one by one. */
    static final List<String> GROUPS = List.of("libraries", "tools", "deploy", "examples", "contracts");

    static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    static final Pattern FENCED = Pattern.compile("```.*?```", Pattern.DOTALL);

    @Test
    void everyRelativeLinkInTheDocsLeadsToAFile() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : markdown()) {
            String text = FENCED.matcher(Files.readString(file)).replaceAll("");
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue;
                }
                Path resolved =
                        file.getParent().resolve(target.replaceFirst("#.*", "")).normalize();
                if (!resolved.startsWith(ROOT)) {
                    broken.add(ROOT.relativize(file) + ": " + target + " (outside the repository)");
                } else if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(file) + ": " + target);
                }
            }
        }
        assertThat(broken).as("links to nothing").isEmpty();
    }

    @Test
    void theArchitectureMapNamesEveryFolder() throws IOException {
        String map = Files.readString(ROOT.resolve("docs/architecture.md"));
        List<String> unnamed = new ArrayList<>();
        for (Path folder : folders(ROOT)) {
            String name = ROOT.relativize(folder).toString();
            if (!map.contains("`" + name + "/`")) {
                unnamed.add(name);
            }
            if (GROUPS.contains(name)) {
                for (Path part : folders(folder)) {
                    String partName = ROOT.relativize(part).toString();
                    if (!map.contains("`" + partName + "/`")) {
                        unnamed.add(partName);
                    }
                }
            }
        }
        assertThat(unnamed).as("folders docs/architecture.md does not name").isEmpty();
    }

    static List<Path> folders(Path parent) throws IOException {
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory)
                    .filter(dir -> !NOT_SOURCES.contains(dir.getFileName().toString()))
                    .filter(dir -> !dir.getFileName().toString().equals("src"))
                    .sorted()
                    .toList();
        }
    }

    static List<Path> markdown() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(file -> file.toString().endsWith(".md"))
                    .filter(file -> {
                        for (Path part : ROOT.relativize(file)) {
                            if (NOT_SOURCES.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        }
    }
}
