package dev.sextant.localservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Programs are found on the PATH, in its order, then in the extra directories; files that cannot run are not. */
class ExecutablesTest {

    @TempDir
    Path dir;

    @Test
    void theFirstDirectoryOfThePathThatHasTheProgramWins() throws Exception {
        Path first = executable(dir.resolve("first"), "sextant-tool");
        executable(dir.resolve("second"), "sextant-tool");
        String path = dir.resolve("empty")
                + File.pathSeparator
                + dir.resolve("first")
                + File.pathSeparator
                + dir.resolve("second");
        assertThat(Executables.find("sextant-tool", path, List.of())).contains(first);
    }

    @Test
    void extraDirectoriesAreSearchedAfterThePath() throws Exception {
        Path extra = executable(dir.resolve("extra"), "sextant-tool");
        assertThat(Executables.find("sextant-tool", dir.resolve("nothing").toString(), List.of(dir.resolve("extra"))))
                .contains(extra);
        assertThat(Executables.find("sextant-tool", null, List.of(dir.resolve("extra"))))
                .contains(extra);
    }

    @Test
    void aFileThatIsNotExecutableOrADirectoryIsNotAProgram() throws Exception {
        Files.createDirectories(dir.resolve("bin/sextant-dir"));
        Files.writeString(dir.resolve("bin/sextant-text"), "not a program");
        assertThat(Executables.find("sextant-text", dir.resolve("bin").toString(), List.of()))
                .isEmpty();
        assertThat(Executables.find("sextant-dir", dir.resolve("bin").toString(), List.of()))
                .isEmpty();
    }

    @Test
    void aBinaryForAnotherPlatformIsRefusedByNameAndPlatform() {
        assertThatThrownBy(() -> Executables.unpack("redis-server-for-another-machine"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis-server-for-another-machine is not on the classpath")
                .hasMessageContaining(System.getProperty("os.arch"));
    }

    private static Path executable(Path directory, String name) throws Exception {
        Files.createDirectories(directory);
        Path file = Files.writeString(directory.resolve(name), "#!/bin/sh\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }
}
