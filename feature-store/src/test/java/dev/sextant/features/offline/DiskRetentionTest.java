package dev.sextant.features.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.features.FeatureStoreProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training sets and staged uploads past their retention are deleted; fresh ones and foreign files are kept. */
class DiskRetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path data;

    @Test
    void filesPastTheirRetentionAreDeletedAndCounted() throws IOException {
        FeatureStoreProperties.Offline offline = new FeatureStoreProperties.Offline(
                data.resolve("offline"),
                data.resolve("training-sets"),
                "256MB",
                100,
                Duration.ofDays(7),
                Duration.ofDays(1),
                Duration.ofMinutes(10));
        FeatureStoreProperties properties = new FeatureStoreProperties(
                "",
                offline,
                new FeatureStoreProperties.Online(Duration.ofSeconds(1), 100, 100, Duration.ofHours(1)),
                new FeatureStoreProperties.Stream(
                        false, Duration.ofMillis(100), 1000, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                Duration.ofMinutes(5));
        Path sets = Files.createDirectories(offline.trainingSetsPath());
        Path uploads = Files.createDirectories(HistoricalController.uploads(offline));
        Path oldSet = file(sets, UUID.randomUUID() + ".parquet", Duration.ofDays(8));
        Path freshSet = file(sets, UUID.randomUUID() + ".parquet", Duration.ofDays(6));
        Path foreign = file(sets, "notes.parquet", Duration.ofDays(30));
        Path oldUpload = file(uploads, UUID.randomUUID() + ".parquet", Duration.ofDays(2));
        Path freshUpload = file(uploads, UUID.randomUUID() + ".parquet", Duration.ofHours(1));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        new DiskRetention(properties.offline(), Clock.fixed(NOW, ZoneOffset.UTC), meters).sweep();

        assertThat(oldSet).doesNotExist();
        assertThat(oldUpload).doesNotExist();
        assertThat(freshSet).exists();
        assertThat(freshUpload).exists();
        assertThat(foreign).exists();
        assertThat(meters.get("sextant.features.offline.files.deleted")
                        .tag("kind", "training_set")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("sextant.features.offline.files.deleted")
                        .tag("kind", "upload")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    private static Path file(Path directory, String name, Duration age) throws IOException {
        Path file = Files.writeString(directory.resolve(name), "PAR1");
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
        return file;
    }
}
