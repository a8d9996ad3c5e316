package dev.sextant.localservers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.localservers.Platform.Arch;
import dev.sextant.localservers.Platform.Os;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which bundled server binary each machine gets: Linux and macOS, x86-64 and arm64, and none elsewhere. */
class PlatformTest {

    @Test
    void theJvmsNamesForTheFourPlatformsAreRecognised() {
        assertThat(Platform.of("Linux", "amd64")).contains(new Platform(Os.LINUX, Arch.X86_64));
        assertThat(Platform.of("Linux", "aarch64")).contains(new Platform(Os.LINUX, Arch.ARM64));
        assertThat(Platform.of("Mac OS X", "x86_64")).contains(new Platform(Os.MACOS, Arch.X86_64));
        assertThat(Platform.of("Mac OS X", "aarch64")).contains(new Platform(Os.MACOS, Arch.ARM64));
    }

    @Test
    void otherSystemsAndProcessorsHaveNoBundledBinaries() {
        assertThat(Platform.of("Windows 11", "amd64")).isEmpty();
        assertThat(Platform.of("Linux", "x86")).isEmpty();
        assertThat(Platform.of("Linux", "ppc64le")).isEmpty();
        assertThat(Platform.of("FreeBSD", "amd64")).isEmpty();
        assertThat(RedisProcess.bundledBinary(Optional.empty())).isEmpty();
        assertThat(PostgresProcess.bundledArchive(Optional.empty())).isEmpty();
    }

    @Test
    void eachPlatformGetsTheRedisBinaryBuiltForIt() {
        assertThat(RedisProcess.bundledBinary(Platform.of("Linux", "amd64")))
                .contains("redis-server-6.2.6-v5-linux-amd64");
        assertThat(RedisProcess.bundledBinary(Platform.of("Linux", "aarch64")))
                .contains("redis-server-6.2.7-linux-arm64");
        assertThat(RedisProcess.bundledBinary(Platform.of("Mac OS X", "x86_64")))
                .contains("redis-server-6.2.6-v5-darwin-amd64");
        assertThat(RedisProcess.bundledBinary(Platform.of("Mac OS X", "aarch64")))
                .contains("redis-server-6.2.6-v5-darwin-arm64");
    }

    @Test
    void everyRedisBinaryNamedIsInTheJar() {
        for (String os : new String[] {"Linux", "Mac OS X"}) {
            for (String arch : new String[] {"amd64", "aarch64"}) {
                String resource =
                        RedisProcess.bundledBinary(Platform.of(os, arch)).orElseThrow();
                assertThat(getClass().getClassLoader().getResource(resource))
                        .as(resource)
                        .isNotNull();
            }
        }
    }

    @Test
    void eachPlatformGetsThePostgresArchiveOfItsJar() {
        assertThat(PostgresProcess.bundledArchive(Platform.of("Linux", "amd64")))
                .contains("postgres-linux-x86_64.txz");
        assertThat(PostgresProcess.bundledArchive(Platform.of("Linux", "aarch64")))
                .contains("postgres-linux-arm_64.txz");
        assertThat(PostgresProcess.bundledArchive(Platform.of("Mac OS X", "x86_64")))
                .contains("postgres-darwin-x86_64.txz");
        assertThat(PostgresProcess.bundledArchive(Platform.of("Mac OS X", "aarch64")))
                .contains("postgres-darwin-arm_64.txz");
    }

    @Test
    void theBuildAddsThePostgresArchiveForThisMachine() {
        String resource = PostgresProcess.bundledArchive(Platform.current()).orElseThrow();
        assertThat(getClass().getClassLoader().getResource(resource))
                .as(resource)
                .isNotNull();
    }
}
