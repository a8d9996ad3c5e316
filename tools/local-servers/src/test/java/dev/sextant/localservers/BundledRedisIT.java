package dev.sextant.localservers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Redis binary bundled for this machine's platform runs where no Redis is installed, and stops and restarts. */
class BundledRedisIT {

    @Test
    void theBundledBinaryServesAndComesBackOnTheSamePort(@TempDir Path dir) throws Exception {
        LocalServer redis = RedisProcess.createFromBundledBinary(Ports.free(), dir);
        try {
            redis.start();
            assertThat(ping(redis.port())).isEqualTo("+PONG");
            redis.stop();
            assertThat(Ports.listening(redis.port())).isFalse();
            redis.start();
            assertThat(ping(redis.port())).isEqualTo("+PONG");
        } finally {
            redis.stop();
        }
    }

    private static String ping(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
