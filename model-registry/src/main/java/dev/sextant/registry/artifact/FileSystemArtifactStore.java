package dev.sextant.registry.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * Artifacts as files under {@code sextant.registry.artifact-dir}: {@code sha256/ab/abcdef....onnx}. Staging
 * files live in {@code staging/} on the same file system so that a commit is an atomic rename; identical
 * content is stored once.
 */
class FileSystemArtifactStore implements ArtifactStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path staging;

    /** @param directory where the files live ({@code sextant.registry.artifact-dir}) */
    FileSystemArtifactStore(Path directory) throws IOException {
        this.root = directory.toAbsolutePath().normalize();
        this.staging = root.resolve("staging");
        Files.createDirectories(staging);
        Files.createDirectories(root.resolve("sha256"));
    }

    @Override
    public StagedArtifact stage(InputStream content, long maxBytes) throws IOException {
        Path file = Files.createTempFile(staging, "upload-", ".onnx");
        MessageDigest digest = sha256();
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[BUFFER];
            for (int read = content.read(buffer); read >= 0; read = content.read(buffer)) {
                size += read;
                if (size > maxBytes) {
                    throw new ArtifactTooLargeException(maxBytes);
                }
                digest.update(buffer, 0, read);
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new StagedArtifact(file, HexFormat.of().formatHex(digest.digest()), size);
    }

    @Override
    public void commit(StagedArtifact artifact) throws IOException {
        Path target = path(artifact.sha256());
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(artifact.file(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // The same content was committed concurrently: the stored copy is identical.
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("staging and artifact directories must be on one file system", e);
        }
    }

    @Override
    public Optional<Resource> find(String sha256) {
        Path file = path(sha256);
        return Files.isRegularFile(file) ? Optional.of(new FileSystemResource(file)) : Optional.empty();
    }

    private Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha256 digest: " + sha256);
        }
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256 + ".onnx");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
