package dev.sextant.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool for a test (kubectl, node, promtool...): its output, or a failure with all it printed. */
public final class Commands {

    private Commands() {}

    /** Runs {@code command} in {@code directory}; its standard output, or an AssertionError unless it exits 0. */
    public static String run(Path directory, String... command) {
        return run(directory, Map.of(), command);
    }

    /** {@link #run(Path, String...)} with these environment variables added to this JVM's. */
    public static String run(Path directory, Map<String, String> environment, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String output = read(process.getInputStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " ran over 120 s:\n" + output + errors.join());
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(
                        String.join(" ", command) + " exited " + process.exitValue() + ":\n" + output + errors.join());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + List.of(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + List.of(command), e);
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
