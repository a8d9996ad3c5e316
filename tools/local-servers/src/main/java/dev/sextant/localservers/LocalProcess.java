package dev.sextant.localservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server's process, a child of this JVM: output goes to a log file, readiness is a TCP port that accepts
 * connections, and the process is destroyed when the JVM exits.
 */
final class LocalProcess {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private final List<String> stopCommand;
    private Process process;

    LocalProcess(String name, List<String> command, Map<String, String> environment, Path logFile) {
        this(name, command, environment, logFile, List.of());
    }

    /**
     * @param stopCommand run to stop the server gracefully (e.g. {@code pg_ctl stop -m fast}); when empty, the
     *     process is sent SIGTERM
     */
    LocalProcess(
            String name,
            List<String> command,
            Map<String, String> environment,
            Path logFile,
            List<String> stopCommand) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.stopCommand = List.copyOf(stopCommand);
    }

    synchronized void start(int port, Duration timeout) {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
        ProcessCleanup.register(process);
        awaitPort(port, timeout);
    }

    synchronized void stop() {
        if (process == null) {
            return;
        }
        if (stopCommand.isEmpty()) {
            process.destroy();
        } else {
            runToCompletion(stopCommand, logFile.resolveSibling(name + "-stop.log"), Duration.ofSeconds(30));
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    private void awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with " + process.exitValue() + " before listening; see " + logFile);
            }
            if (Ports.listening(port)) {
                return;
            }
            sleep(Duration.ofMillis(50));
        }
        stop();
        throw new IllegalStateException(
                name + " did not listen on port " + port + " within " + timeout + "; see " + logFile);
    }

    /** Runs a command to completion, its output in a log file; fails unless it exits 0 in time. */
    static void runToCompletion(List<String> command, Path log, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
