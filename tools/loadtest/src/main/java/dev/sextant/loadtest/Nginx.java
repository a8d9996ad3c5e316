package dev.sextant.loadtest;

import dev.sextant.localservers.Executables;
import dev.sextant.localservers.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * nginx as a plain reverse proxy in front of the prediction service and the feature store: the floor of what
 * proxying costs on this machine, which the gateway's scenarios are read against ({@code via: nginx} in the plan).
 * It routes as the gateway does ({@code /api/v1/features/} to the feature store, everything else to the prediction
 * service) over keep-alive upstream connections, with one worker per core and a buffered access log, and nothing
 * else: no authentication, no rate limit, no request id. It listens on a free loopback port, its configuration and
 * logs live in a directory of the load test's output, and it stops with the load test.
 */
final class Nginx implements AutoCloseable {

    private final Process process;
    private final Path directory;
    final String url;

    private Nginx(Process process, Path directory, String url) {
        this.process = process;
        this.directory = directory;
        this.url = url;
    }

    /** The nginx executable: on the PATH or where Debian installs it; empty when it is not installed. */
    static Optional<Path> executable() {
        return Executables.find("nginx");
    }

    /**
     * Starts nginx in front of the two services (base URLs such as {@code http://localhost:8081}) and waits until it
     * listens; its files go to {@code directory}.
     */
    static Nginx start(Path executable, Path directory, String prediction, String features)
            throws IOException, InterruptedException {
        Files.createDirectories(directory.resolve("temp"));
        int port = Ports.free();
        Files.writeString(
                directory.resolve("nginx.conf"), configuration(port, prediction, features), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(
                        executable.toString(),
                        "-p",
                        directory.toAbsolutePath().toString(),
                        "-c",
                        "nginx.conf",
                        "-e",
                        "error.log",
                        "-g",
                        "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("nginx.out").toFile())
                .start();
        Nginx nginx = new Nginx(process, directory, "http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                nginx.close();
                throw new IllegalStateException("nginx did not start listening on port " + port + ": "
                        + Files.readString(directory.resolve("nginx.out")).strip() + " "
                        + (Files.exists(directory.resolve("error.log"))
                                ? Files.readString(directory.resolve("error.log"))
                                        .strip()
                                : ""));
            }
            Thread.sleep(50);
        }
        return nginx;
    }

    /** The master process; its workers are its children, so the load test's CPU accounting counts them. */
    long pid() {
        return process.pid();
    }

    static String configuration(int port, String prediction, String features) {
        return """
                # Written by the load test: nginx as a plain reverse proxy, the floor the gateway is read against.
                worker_processes auto;
                pid nginx.pid;
                events {
                    worker_connections 4096;
                }
                http {
                    access_log access.log combined buffer=64k flush=1s;
                    client_body_temp_path temp/body;
                    proxy_temp_path temp/proxy;
                    fastcgi_temp_path temp/fastcgi;
                    uwsgi_temp_path temp/uwsgi;
                    scgi_temp_path temp/scgi;
                    keepalive_requests 1000000;
                    upstream prediction {
                        server %s;
                        keepalive 64;
                    }
                    upstream features {
                        server %s;
                        keepalive 64;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        location /api/v1/features/ {
                            proxy_pass http://features;
                        }
                        location / {
                            proxy_pass http://prediction;
                        }
                    }
                }
                """
                .formatted(hostAndPort(prediction), hostAndPort(features), port);
    }

    private static String hostAndPort(String url) {
        URI uri = URI.create(url);
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("nginx needs a service URL with a host and a port, got " + url);
        }
        return (uri.getHost().equals("localhost") ? "127.0.0.1" : uri.getHost()) + ":" + uri.getPort();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops nginx (its fast shutdown on SIGTERM) and its workers. */
    @Override
    public void close() {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return "nginx at " + url + " (" + directory + ")";
    }
}
