package dev.sextant.testsupport;

import dev.sextant.localservers.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service's packaged jar run as a process, as a user would run it: its own working directory (so {@code ./data}
 * is empty), a free port, no {@code SPRING_*} or {@code SEXTANT_*} variables inherited, output to a log file. Started
 * once {@code /actuator/health/readiness} answers 200.
 */
public final class ServiceJar implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path workingDirectory;
    private final String url;

    private ServiceJar(Process process, Path workingDirectory, String url) {
        this.process = process;
        this.workingDirectory = workingDirectory;
        this.url = url;
    }

    /** Starts the jar with {@code --server.port} and these arguments, and waits up to 90 s for readiness. */
    public static ServiceJar start(Path jar, String... arguments) throws IOException, InterruptedException {
        return start(jar, Files.createTempDirectory(jar.getFileName().toString().replace(".jar", "")), arguments);
    }

    /**
     * Starts the jar in a given working directory: a restart of a service that was {@link #kill() killed} finds
     * its {@code ./data} as it left it.
     */
    public static ServiceJar start(Path jar, Path directory, String... arguments)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: package that service first (./mvnw package)");
        }
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar.toAbsolutePath().toString(),
                "--server.port=" + port));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        directory.resolve("service.log").toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("SEXTANT_"));
        ServiceJar service = new ServiceJar(builder.start(), directory, "http://127.0.0.1:" + port);
        service.awaitReady();
        return service;
    }

    /** The service's base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return url;
    }

    /** The process's working directory, where the service keeps {@code ./data}. */
    public Path workingDirectory() {
        return workingDirectory;
    }

    public String log() {
        try {
            return Files.readString(workingDirectory.resolve("service.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A multipart/form-data POST of one file part named {@code file}, as the registry's upload takes it. */
    public static HttpRequest multipartFile(String url, String filename, byte[] content) {
        return multipartFile(url, filename, content, null);
    }

    /**
     * A multipart/form-data POST of a file part named {@code file} and, unless null, a JSON part named
     * {@code metadata}: the registry's upload of a version with its metadata.
     */
    public static HttpRequest multipartFile(String url, String filename, byte[] content, String metadata) {
        String boundary = "sextant-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (metadata != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\""
                            + "\r\nContent-Type: application/json\r\n\r\n" + metadata + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited; its log:\n" + log());
            }
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("the service was not ready within 90 s; its log:\n" + log());
    }

    /** Kills the process at once (SIGKILL), as a crash or an OOM kill would: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
