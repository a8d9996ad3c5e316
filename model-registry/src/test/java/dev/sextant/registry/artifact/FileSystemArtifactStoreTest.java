package dev.sextant.registry.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemArtifactStoreTest {

    // sha256("hello")
    private static final String HELLO = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @TempDir
    Path dir;

    private FileSystemArtifactStore store;

    @BeforeEach
    void createStore() throws IOException {
        store = new FileSystemArtifactStore(dir.resolve("artifacts"));
    }

    @Test
    void stagingComputesTheSha256AndSizeOfTheContent() throws IOException {
        try (StagedArtifact staged = store.stage(stream("hello"), 100)) {
            assertThat(staged.sha256()).isEqualTo(HELLO);
            assertThat(staged.sizeBytes()).isEqualTo(5);
            assertThat(staged.file()).hasContent("hello");
        }
    }

    @Test
    void committedArtifactsAreAddressedByContentAndStoredOnce() throws IOException {
        for (int i = 0; i < 2; i++) {
            try (StagedArtifact staged = store.stage(stream("hello"), 100)) {
                store.commit(staged);
            }
        }
        assertThat(store.find(HELLO)).hasValueSatisfying(resource -> assertThat(resource.getFilename())
                .isEqualTo(HELLO + ".onnx"));
        assertThat(dir.resolve("artifacts/sha256/2c/" + HELLO + ".onnx")).hasContent("hello");
        assertThat(files()).containsExactly(dir.resolve("artifacts/sha256/2c/" + HELLO + ".onnx"));
    }

    @Test
    void contentPastTheLimitFailsAndLeavesNoFileBehind() throws IOException {
        assertThatThrownBy(() -> store.stage(stream("x".repeat(101)), 100))
                .isInstanceOf(ArtifactTooLargeException.class)
                .hasMessageContaining("100 bytes");
        assertThat(files()).isEmpty();
    }

    @Test
    void closingAnUncommittedStagedArtifactRemovesIt() throws IOException {
        store.stage(stream("abandoned"), 100).close();
        assertThat(files()).isEmpty();
    }

    @Test
    void refusesAnythingButAHexDigestAsAnAddress() {
        assertThatThrownBy(() -> store.find("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    private static ByteArrayInputStream stream(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    private java.util.List<Path> files() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
