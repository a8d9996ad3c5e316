package dev.sextant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@WithRedis
class RedisServerIT {

    @Test
    void sharedServerAnswersPingAndIsTheSameInstanceForEveryTest(RedisServer redis) throws IOException {
        assertThat(redis).isSameAs(RedisServer.shared());
        assertThat(command(redis, "PING")).isEqualTo("+PONG");
        assertThat(redis.url()).startsWith("redis://");
    }

    @Test
    void dedicatedServerComesBackOnTheSameAddressAfterAStop() throws IOException {
        try (RedisServer redis = RedisServer.startDedicated()) {
            String url = redis.url();
            assertThat(command(redis, "SET k v")).isEqualTo("+OK");

            redis.stop();
            assertThatThrownBy(() -> command(redis, "PING")).isInstanceOf(IOException.class);

            redis.start();
            assertThat(redis.url()).isEqualTo(url);
            assertThat(command(redis, "PING")).isEqualTo("+PONG");
        }
    }

    /** Sends one inline Redis command and reads the first reply line. */
    private static String command(RedisServer redis, String command) throws IOException {
        try (Socket socket = new Socket(redis.host(), redis.port())) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\r'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
